// Types for free-ports.mjs.
export function freePorts(count: number): Promise<number[]>;
export function freePortsSync(count: number): number[];
