import type { Task } from "./tasks.js";

/** The process-signal part of Node's `process`, where the runtime has it. */
export interface SignalProcess {
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
  once(event: string, listener: (...args: any[]) => void): unknown;
  listenerCount(event: string): number;
  exit(code?: number): never;
  exitCode?: number | string | null | undefined;
}

/** Node's `process`, or undefined in a runtime without one (browsers). */
export function nodeProcess(): SignalProcess | undefined {
  const proc = (globalThis as { process?: Partial<SignalProcess> }).process;
  return typeof proc?.on === "function" && typeof proc.off === "function" && typeof proc.listenerCount === "function"
    ? (proc as SignalProcess)
    : undefined;
}

const SIGNALS = { SIGINT: 2, SIGTERM: 15 } as const;
type SignalName = keyof typeof SIGNALS;

// The runs that handle signals, oldest first, in one list per process shared by every copy of
// @taskio/core: the first has the handlers, and hands them to the next when it ends. (An older copy
// marks it `true`: that copy handles them.)
const RUNS = Symbol.for("taskio.signalRun");

/** What run() needs to know about a Ctrl-C it handled. */
export interface Interrupts {
  /** The first signal received, if any. */
  readonly received: SignalName | undefined;
  /** Removes the handlers; `interrupted`: the run ends cancelled by the signal, so the process exits with 128 + its number. */
  dispose(interrupted: boolean): void;
}

/**
 * Installs run()'s SIGINT and SIGTERM handlers, as asyncio.Runner does: the first signal
 * cancels `main` (its finally blocks and awaits run), a second one exits at once. One that comes
 * once main is done (while the run cancels what main left running) cancels the main of another
 * run still going, or, with none, exits at once, as asyncio's KeyboardInterrupt does then. A
 * signal the application already listens to is left to it, and so is one it starts listening to
 * later. While another run() has the handlers, this one waits for them: it gets them when that
 * run ends. Returns undefined without a Node process.
 */
export function interceptSignals(proc: SignalProcess | undefined, main: Task<unknown>): Interrupts | undefined {
  const flags = globalThis as unknown as Record<symbol, SignalHandlers[] | true | undefined>;
  const existing = flags[RUNS];
  if (proc === undefined || existing === true) return undefined;
  const runs = existing ?? (flags[RUNS] = []);
  const handlers = new SignalHandlers(proc, main, runs);
  runs.push(handlers);
  if (runs.length === 1) handlers.install();
  return handlers;
}

class SignalHandlers implements Interrupts {
  received: SignalName | undefined = undefined;
  readonly #installed: [SignalName, () => void][] = [];

  constructor(
    readonly proc: SignalProcess,
    readonly main: Task<unknown>,
    readonly runs: SignalHandlers[],
  ) {}

  install(): void {
    const proc = this.proc;
    for (const name of Object.keys(SIGNALS) as SignalName[]) {
      if (proc.listenerCount(name) > 0) continue;
      const onSignal = () => {
        if (proc.listenerCount(name) > 1) return;
        // Once main is done this run only cancels what main left: the signal is for a run whose
        // main still runs, if any.
        const target = this.main.done() ? this.runs.find(isGoing) : this;
        if (target === undefined || target.received !== undefined) {
          proc.exit(128 + SIGNALS[name]);
          return;
        }
        target.received = name;
        target.main.cancel(`run(): interrupted by ${name}`);
      };
      proc.on(name, onSignal);
      this.#installed.push([name, onSignal]);
    }
  }

  dispose(interrupted: boolean): void {
    const proc = this.proc;
    for (const [name, onSignal] of this.#installed) proc.off(name, onSignal);
    const runs = this.runs;
    const wasFirst = runs[0] === this;
    runs.splice(runs.indexOf(this), 1);
    if (runs.length === 0) (globalThis as unknown as Record<symbol, unknown>)[RUNS] = undefined;
    else if (wasFirst) runs[0]!.install();
    const received = this.received;
    if (received === undefined || !interrupted) return;
    const code = 128 + SIGNALS[received];
    proc.exitCode = code;
    // The CancelledError run() rejects with usually goes uncaught, which would make the exit
    // code 1; an interrupted program exits with the signal's code, as a shell expects.
    proc.once("exit", (exitCode: number) => {
      if (exitCode === 0 || exitCode === 1) proc.exitCode = code;
    });
  }
}

function isGoing(run: SignalHandlers): boolean {
  return !run.main.done();
}
