import { type Future, sleep } from "@taskio/core";

/**
 * A one-shot timer on taskio's clock (so tests may run it on the virtual clock), re-armed by its
 * owner after each tick while there is something to renew or re-check. Nothing runs when idle, so
 * an idle primitive keeps no timer alive.
 */
export class Ticker {
  /** @internal */ _timer: Future<undefined> | undefined = undefined;
  /** @internal */ readonly _fire = (timer: Future<undefined>): void => {
    if (timer !== this._timer || timer.cancelled()) return;
    this._timer = undefined;
    this._onTick();
  };

  constructor(
    readonly period: number,
    /** @internal */ readonly _onTick: () => void,
  ) {}

  /** Arms the timer unless it is armed. */
  start(): void {
    if (this._timer !== undefined) return;
    const timer = sleep(this.period);
    this._timer = timer;
    timer.addDoneCallback(this._fire);
  }

  stop(): void {
    const timer = this._timer;
    this._timer = undefined;
    timer?.cancel();
  }
}
