import { callLater, type TimerHandle } from "@taskio/core/internal";

/**
 * A one-shot timer on taskio's clock (so tests may run it on the virtual clock), re-armed by its
 * owner after each tick while there is something to renew or re-check. Nothing runs when idle, so
 * an idle primitive keeps no timer alive.
 */
export class Ticker {
  /** @internal */ _timer: TimerHandle | undefined = undefined;

  constructor(
    readonly period: number,
    /** @internal */ readonly _onTick: () => void,
  ) {}

  /** Arms the timer unless it is armed. */
  start(): void {
    if (this._timer !== undefined) return;
    this._timer = callLater(this.period, tick, this);
  }

  stop(): void {
    const timer = this._timer;
    this._timer = undefined;
    timer?.cancel();
  }
}

function tick(ticker: Ticker): void {
  ticker._timer = undefined;
  ticker._onTick();
}
