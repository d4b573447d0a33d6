/**
 * A page size that halves when GitHub times out on a page (502/504, resource limits) and grows back
 * by doubling after consecutive successes, never above where it started.
 */
export class AdaptivePageSize {
  readonly #max: number;
  readonly #min: number;
  readonly #growAfter: number;
  #size: number;
  #successes = 0;

  constructor(start: number, options: { min?: number; growAfter?: number } = {}) {
    this.#max = start;
    this.#size = start;
    this.#min = Math.min(start, options.min ?? 1);
    this.#growAfter = options.growAfter ?? 2;
  }

  /** The size to ask for now. */
  get size(): number {
    return this.#size;
  }

  /** After a page that was too large: halves the size; false when it is already at the minimum. */
  shrink(): boolean {
    this.#successes = 0;
    if (this.#size <= this.#min) return false;
    this.#size = Math.max(this.#min, Math.floor(this.#size / 2));
    return true;
  }

  /** After a page that worked: grows back towards the start size after enough successes in a row. */
  succeeded(): void {
    this.#successes += 1;
    if (this.#size < this.#max && this.#successes >= this.#growAfter) {
      this.#size = Math.min(this.#max, this.#size * 2);
      this.#successes = 0;
    }
  }
}
