// The Train form's monitoring policy: the defaults give null, each field lands in the spec's `monitor` (checked by the spec's parser), bad numbers and unknown key columns are named, a loaded policy fills the form back.
import { describe, expect, it } from 'vitest';
import { makeSpec } from '../../../src/lib/pipeline/spec/build.ts';
import { MonitorOptions, monitorWords } from '../../../src/lib/state/monitor-options.svelte.ts';

describe('MonitorOptions', () => {
  it('gives null for the defaults, and says so in words', () => {
    const form = new MonitorOptions();
    expect(form.isSet).toBe(false);
    expect(form.policy(['a'])).toBeNull();
    expect(monitorWords(null)).toBe("Retrain on dataset drift, decay (measured, or estimated without labels), on the dataset's newest version; the candidate waits for approval as the challenger");
  });

  it('puts every field into a policy the spec accepts, and loads it back', () => {
    const form = new MonitorOptions();
    form.decay = false;
    form.keyColumns = ' temp_max, wind ';
    form.newRows = '500';
    form.scheduleHours = '24';
    form.data = 'window';
    form.windowVersions = '2';
    form.autoPromote = true;
    const policy = form.policy(['temp_max', 'wind', 'weather']);
    expect(policy).toEqual({
      triggers: { datasetDrift: true, decay: false, keyColumns: ['temp_max', 'wind'], newRows: 500, scheduleHours: 24 },
      retrain: { data: { kind: 'window', versions: 2 }, autoPromote: true },
    });
    expect(makeSpec({ target: 'weather', monitor: policy }).monitor).toEqual(policy);
    expect(monitorWords(policy)).toBe('Retrain on dataset drift, drift of temp_max, wind, 500 new rows, every 24 hours while the studio is open, on the last 2 versions; the candidate replaces the champion when its review passes');
    const again = new MonitorOptions();
    again.load(policy);
    expect(again.policy()).toEqual(policy);
    again.load(null);
    expect(again.isSet).toBe(false);
  });

  it('names a bad number or an unknown key column', () => {
    const form = new MonitorOptions();
    form.newRows = '2.5';
    expect(() => form.policy()).toThrow('New rows must be a whole number from 1; got "2.5"');
    form.newRows = '';
    form.scheduleHours = '-1';
    expect(() => form.policy()).toThrow('Schedule must be a number of hours above 0; got "-1"');
    form.scheduleHours = '';
    form.keyColumns = 'tmp_max';
    expect(() => form.policy(['temp_max'])).toThrow('Key column "tmp_max" is not a column of this dataset');
  });
});
