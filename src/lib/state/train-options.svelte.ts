// Training options beyond the basics: split, cross-validation, class weights, MLP knobs and the search space.
import { AppError } from '../pipeline/errors.ts';
import type { ModelKind } from '../pipeline/types.ts';
import type { TrainRequest } from '../../../workers/protocol.ts';

export type SplitChoice = 'auto' | 'random' | 'stratified' | 'time';
export type Activation = NonNullable<TrainRequest['activation']>;
type SearchSpace = NonNullable<TrainRequest['search']>['space'];

/** Comma-separated numbers, each checked; names the field and the bad entry. */
export function numberList(text: string, field: string, ok: (v: number) => boolean = Number.isFinite): number[] {
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (!parts.length) throw new AppError('bad-argument', `${field}: give at least one value, e.g. "0.01, 0.03"`);
  return parts.map((part) => {
    const value = Number(part);
    if (!Number.isFinite(value) || !ok(value)) throw new AppError('bad-argument', `${field}: "${part}" is not an allowed value`);
    return value;
  });
}

/** Hidden-layer options: "16, 32, 64-32" is one layer of 16, one of 32, or two layers of 64 then 32. */
export function hiddenList(text: string): number[][] {
  const options = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (!options.length) throw new AppError('bad-argument', 'Hidden layers: give at least one option, e.g. "16, 64-32"');
  return options.map((option) => {
    const sizes = option.split('-').map((s) => Number(s.trim()));
    if (!sizes.every((n) => Number.isInteger(n) && n >= 1 && n <= 4096)) {
      throw new AppError('bad-argument', `Hidden layers: "${option}" must be layer sizes joined by "-", e.g. 64-32`);
    }
    return sizes;
  });
}

function modelList(text: string): ModelKind[] {
  const models = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const m of models) if (m !== 'linear' && m !== 'mlp') throw new AppError('bad-argument', `Models: "${m}" must be linear or mlp`);
  if (!models.length) throw new AppError('bad-argument', 'Models: give linear, mlp or both');
  return models as ModelKind[];
}

/** The options form; `request()` turns it into TrainRequest fields or throws naming the bad field. */
export class TrainOptions {
  split = $state<SplitChoice>('auto');
  timeColumn = $state('');
  folds = $state<0 | 5>(0);
  classWeights = $state<'none' | 'balanced'>('none');
  activation = $state<Activation>('relu');
  dropout = $state(0);
  l2 = $state(0);

  search = $state(false);
  strategy = $state<'random' | 'grid'>('random');
  trials = $state(6);
  minutes = $state(0);
  models = $state('linear, mlp');
  learningRates = $state('0.003, 0.01, 0.03');
  hidden = $state('16, 32, 64-32');
  l2Values = $state('0, 0.0001, 0.001');
  dropoutValues = $state('0, 0.1, 0.2');

  /** The search space from the comma lists. */
  space(): SearchSpace {
    return {
      model: modelList(this.models),
      learningRate: numberList(this.learningRates, 'Learning rates', (v) => v > 0 && v < 10),
      hidden: hiddenList(this.hidden),
      l2: numberList(this.l2Values, 'L2 values', (v) => v >= 0),
      dropout: numberList(this.dropoutValues, 'Dropout values', (v) => v >= 0 && v < 1),
    };
  }

  /** The TrainRequest fields these options set; defaults are left out so a plain run stays as it was. */
  request(model: ModelKind): Partial<TrainRequest> {
    const out: Partial<TrainRequest> = {};
    if (this.split !== 'auto') out.split = this.split;
    if (this.split === 'time') {
      if (!this.timeColumn) throw new AppError('bad-argument', 'A time-based split needs a time column; choose one under Split');
      out.timeColumn = this.timeColumn;
    }
    if (this.folds) out.folds = this.folds;
    if (this.classWeights !== 'none') out.classWeights = this.classWeights;
    if (model === 'mlp') {
      if (!(this.dropout >= 0 && this.dropout < 1)) throw new AppError('bad-argument', `Dropout must be at least 0 and below 1; got ${this.dropout}`);
      out.activation = this.activation;
      if (this.dropout) out.dropout = this.dropout;
    }
    if (!(this.l2 >= 0)) throw new AppError('bad-argument', `L2 must be at least 0; got ${this.l2}`);
    if (this.l2) out.l2 = this.l2;
    if (this.search) {
      const trials = Math.round(this.trials);
      if (!(trials >= 1)) throw new AppError('bad-argument', `Trials must be 1 or more; got ${this.trials}`);
      out.search = { strategy: this.strategy, trials, space: this.space(), ...(this.minutes > 0 ? { minutes: this.minutes } : {}) };
    }
    return out;
  }
}
