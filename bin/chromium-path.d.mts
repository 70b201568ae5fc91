// Types for chromium-path.mjs.
export function chromiumPath(): string;
