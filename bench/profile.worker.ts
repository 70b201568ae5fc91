// A bench helper Worker: profiles a table whose columns it is sent (SharedArrayBuffer-backed in the shared-columns experiment) and answers with the profile.
import { profileTable } from '../src/lib/pipeline/profile.ts';
import type { DataTable } from '../src/lib/pipeline/types.ts';

self.onmessage = (event: MessageEvent<DataTable>) => {
  postMessage(profileTable(event.data));
};
