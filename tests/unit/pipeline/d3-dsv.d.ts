// The part of d3-dsv the tests use (the package ships no types and @types/d3-dsv is not installed).
declare module 'd3-dsv' {
  export function csvParseRows(text: string): string[][];
  export function dsvFormat(delimiter: string): { parseRows(text: string): string[][] };
}
