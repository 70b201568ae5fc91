// Feature definitions as plain, versioned JSON: which source columns feed the model and how each is transformed.
import type { DatePart } from '../types.ts';

/** Every transform a feature definition can name. */
export const FEATURE_TRANSFORMS = [
  'standardize',
  'minmax',
  'log1p',
  'clip',
  'bucketize',
  'onehot',
  'ordinal',
  'dateparts',
  'hash',
  'ratio',
  'difference',
] as const;

export type FeatureTransform = (typeof FEATURE_TRANSFORMS)[number];

/** Clip to fixed bounds, or to quantiles of the training rows (default 1% and 99%), then standardize. */
export interface ClipParams {
  lower?: number;
  upper?: number;
  quantiles?: [number, number];
}

/** Buckets from fixed ascending edges, or from `bins` quantiles of the training rows (default 10). */
export interface BucketizeParams {
  edges?: number[];
  bins?: number;
}

/**
 * Levels seen fewer than `minCount` times (default 5) are pooled, and so are all but the `maxLevels` most frequent
 * (default: no limit); `unseenSlot` (default true) always adds "other".
 */
export interface OneHotParams {
  minCount?: number;
  maxLevels?: number;
  unseenSlot?: boolean;
}

/** Levels in this order become 0, 1, 2, …; without `order`, levels sort numerically or by code point. */
export interface OrdinalParams {
  order?: string[];
}

/** Date parts in UTC; `reference` (ISO date) for daysSince, by default the earliest training date. */
export interface DatePartsParams {
  parts: DatePart[];
  reference?: string;
}

/** Hashed bag of word or character n-grams (FNV-1a, 32-bit) into `width` slots holding log1p(count). */
export interface HashParams {
  width: number;
  tokens?: 'word' | 'char';
  /** Smallest and largest n; default [1, 1] for words, [3, 3] for characters. */
  ngrams?: [number, number];
  /** Default true. */
  lowercase?: boolean;
}

interface FeatureBase {
  /** Unique in the set; names the matrix columns ("ratio_1", or "ratio_1=level" for one-hot slots). */
  name: string;
  column: string;
}

/** One feature of a set: a source column (two for ratio/difference), a transform and its params. */
export type FeatureDef =
  | (FeatureBase & { transform: 'standardize' | 'minmax' | 'log1p'; params?: Record<string, never> })
  | (FeatureBase & { transform: 'clip'; params?: ClipParams })
  | (FeatureBase & { transform: 'bucketize'; params?: BucketizeParams })
  | (FeatureBase & { transform: 'onehot'; params?: OneHotParams })
  | (FeatureBase & { transform: 'ordinal'; params?: OrdinalParams })
  | (FeatureBase & { transform: 'dateparts'; params: DatePartsParams })
  | (FeatureBase & { transform: 'hash'; params: HashParams })
  | (FeatureBase & { transform: 'ratio' | 'difference'; column2: string; params?: Record<string, never> });

/** A named, versioned list of feature definitions. */
export interface FeatureSet {
  name: string;
  version: number;
  features: FeatureDef[];
}
