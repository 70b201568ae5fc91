// Types for write-predict.mjs.
export const PARTS: string[];
export function assemblePredict(read?: (name: string) => string): string;
export function predictSourceTs(source?: string): string;
