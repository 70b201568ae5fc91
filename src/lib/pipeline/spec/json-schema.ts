// The subset of JSON Schema (draft 2020-12) that the pipeline spec's schema uses and its validator understands.

/** The subset of JSON Schema the spec uses (and `validateAgainst` understands). */
export interface JsonSchema {
  $schema?: string;
  $id?: string;
  title?: string;
  description?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  enum?: readonly (string | number | boolean | null)[];
  const?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  /** A regular expression the whole text must match (anchored with ^…$ in the schema). */
  pattern?: string;
  default?: unknown;
}
