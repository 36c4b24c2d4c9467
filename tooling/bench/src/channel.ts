const RESOLVED: Promise<void> = Promise.resolve();

/**
 * The queue baseline: the least a producer/consumer channel can be with an array and promises
 * (no cancellation, no shutdown, no join). What a taskio Queue adds costs its ratio to this.
 */
export class Channel<T> {
  readonly #items: T[] = [];
  readonly #getters: ((item: T) => void)[] = [];
  readonly #putters: (() => void)[] = [];
  readonly #capacity: number;

  constructor(capacity = Number.POSITIVE_INFINITY) {
    this.#capacity = capacity;
  }

  put(item: T): Promise<void> {
    const getter = this.#getters.shift();
    if (getter !== undefined) getter(item);
    else if (this.#items.length < this.#capacity) this.#items.push(item);
    else {
      return new Promise((resolve) => {
        this.#putters.push(() => {
          this.#items.push(item);
          resolve();
        });
      });
    }
    return RESOLVED;
  }

  get(): Promise<T> {
    if (this.#items.length > 0) {
      const item = this.#items.shift()!;
      this.#putters.shift()?.();
      return Promise.resolve(item);
    }
    return new Promise((resolve) => this.#getters.push(resolve));
  }
}
