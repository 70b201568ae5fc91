// The single-prediction form's state: a saved model's fields and the values typed (prefilled), live flags, and the last prediction with its explanation.
import { mlClient } from '../workers-client/ml-client.ts';
import { userMessage } from '../pipeline/errors.ts';
import { checkInputs, defaultInputs, type InputFlag } from '../pipeline/predict-form.ts';
import type { PredictFormInfo, RowPrediction } from '../contracts/predict.ts';

export class PredictState {
  #form = $state<PredictFormInfo | null>(null);
  #result = $state<RowPrediction | null>(null);
  #loading = $state(false);
  #predicting = $state(false);
  #error = $state<string | null>(null);
  /** The values typed, by column (text, as the inputs hold them). */
  values = $state<Record<string, string>>({});
  /** Flags of the values as typed: outside the training range, never seen, unreadable, empty. */
  readonly flags = $derived<InputFlag[]>(this.#form ? checkInputs(this.#form.fields, this.values) : []);
  #request = 0;
  #alive = true;

  get form(): PredictFormInfo | null {
    return this.#form;
  }
  get result(): RowPrediction | null {
    return this.#result;
  }
  get loading(): boolean {
    return this.#loading;
  }
  get predicting(): boolean {
    return this.#predicting;
  }
  get error(): string | null {
    return this.#error;
  }
  /** A value that cannot be read stops Predict. */
  get blocked(): boolean {
    return this.flags.some((f) => f.blocking);
  }

  flagOf(column: string): InputFlag | undefined {
    return this.flags.find((f) => f.column === column);
  }

  /** Loads a model's form, its fields prefilled with the training medians and modes. */
  async load(modelId: number): Promise<void> {
    const request = ++this.#request;
    this.#loading = true;
    this.#error = null;
    this.#result = null;
    try {
      const form = await mlClient().predictForm(modelId);
      if (!this.#alive || request !== this.#request) return;
      this.#form = form;
      this.values = defaultInputs(form.fields);
    } catch (error) {
      if (this.#alive && request === this.#request) this.#error = userMessage(error);
    } finally {
      if (request === this.#request) this.#loading = false;
    }
  }

  /** Back to the training medians and modes. */
  reset(): void {
    if (this.#form) this.values = defaultInputs(this.#form.fields);
    this.#result = null;
    this.#error = null;
  }

  async predict(): Promise<void> {
    const form = this.#form;
    if (!form || this.blocked || this.#predicting) return;
    const request = ++this.#request;
    this.#predicting = true;
    this.#error = null;
    try {
      const result = await mlClient().predictRow(form.modelId, $state.snapshot(this.values));
      if (this.#alive && request === this.#request) this.#result = result;
    } catch (error) {
      if (this.#alive && request === this.#request) {
        this.#error = userMessage(error);
        this.#result = null;
      }
    } finally {
      if (request === this.#request) this.#predicting = false;
    }
  }

  destroy(): void {
    this.#alive = false;
  }
}
