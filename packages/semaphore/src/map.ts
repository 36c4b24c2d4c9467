import { type CancelledError, Future } from "@taskio/core";
import { cancelWithError, checkBody, describeValue, listenAbort, unlistenAbort } from "@taskio/core/internal";

type Start = (item: unknown, index: number, signal: AbortSignal | undefined) => Future<unknown>;

/**
 * The Future `limit().map()` returns. Cancelling it withdraws the calls still waiting (they
 * never run); calls already running go on.
 */
class MapCall extends Future<unknown[]> {
  /** @internal */ readonly _calls: Future<unknown>[] = [];
  /** @internal results so far, by index */ readonly _results: unknown[] = [];
  /** @internal calls not ended yet */ _left = 0;
  /** @internal listened to until it ends */ _signal: AbortSignal | undefined = undefined;

  /** @internal the signal aborted: reject with its reason, withdraw the calls still waiting */
  handleEvent(): void {
    if (this.done()) return;
    this.setException(this._signal!.reason);
    this._withdraw();
  }

  override cancel(msg?: string): boolean {
    if (!super.cancel(msg)) return false;
    this._withdraw();
    return true;
  }

  /** @internal */
  _withdraw(): void {
    if (this._signal !== undefined) {
      unlistenAbort(this._signal, this);
      this._signal = undefined;
    }
    for (const call of this._calls) call.cancel("limit().map() ended");
  }

  /** @internal one call ended */
  _ended(index: number, call: Future<unknown>): void {
    if (this.done()) return;
    if (call.cancelled()) {
      try {
        call.exception();
      } catch (error) {
        cancelWithError(this, error as CancelledError);
      }
      this._withdraw();
      return;
    }
    const error = call.exception();
    if (error !== undefined) {
      this.setException(error);
      this._withdraw();
      return;
    }
    this._results[index] = call.result();
    if (--this._left === 0) {
      this.setResult(this._results);
      this._withdraw();
    }
  }
}

/** Starts one limited call per item, all at once (each waits for its slot), and gathers them in order. */
export function mapLimited(
  start: Start,
  items: Iterable<unknown>,
  fn: unknown,
  signal: AbortSignal | undefined,
): Future<unknown[]> {
  if (items === null || typeof (items as Partial<Iterable<unknown>>)?.[Symbol.iterator] !== "function") {
    throw new TypeError(
      `limit().map(items, fn): items must be iterable (an array, a Set, …), got ${describeValue(items)}`,
    );
  }
  checkBody(fn, "limit().map(items, fn)");
  const map = new MapCall();
  if (signal?.aborted) {
    map.setException(signal.reason);
    return map;
  }
  let index = 0;
  for (const item of items) {
    const i = index++;
    const call = start(item, i, signal);
    map._calls.push(call);
    map._left++;
    call.addDoneCallback((done) => map._ended(i, done));
  }
  map._results.length = index;
  if (index === 0) map.setResult([]);
  else if (signal !== undefined) {
    map._signal = signal;
    listenAbort(signal, map);
  }
  return map;
}
