/** Counts requests in progress and tells when none are left (graceful drain waits on it). */
export class InFlightCounter {
  #count = 0;
  #waiters: Array<() => void> = [];

  get count(): number {
    return this.#count;
  }

  start(): void {
    this.#count++;
  }

  finish(): void {
    this.#count--;
    if (this.#count === 0) for (const resolve of this.#waiters.splice(0)) resolve();
  }

  /** Resolves once no request is in progress. */
  whenIdle(): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
