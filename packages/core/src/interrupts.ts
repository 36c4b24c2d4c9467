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

// One flag per process, shared by every copy of @taskio/core: only the outermost run handles signals.
const ACTIVE = Symbol.for("taskio.signalRun");

/** What run() needs to know about a Ctrl-C it handled. */
export interface Interrupts {
  /** The first signal received, if any. */
  readonly received: SignalName | undefined;
  /** Removes the handlers; `interrupted`: the run ends cancelled by the signal, so the process exits with 128 + its number. */
  dispose(interrupted: boolean): void;
}

/**
 * Installs run()'s SIGINT and SIGTERM handlers, as asyncio.Runner does: the first signal
 * cancels `main` (its finally blocks and awaits run), a second one exits at once. A signal the
 * application already listens to is left to it, and so is one it starts listening to later.
 * Returns undefined when another run() already handles them, or there is no Node process.
 */
export function interceptSignals(proc: SignalProcess | undefined, main: Task<unknown>): Interrupts | undefined {
  const flags = globalThis as unknown as Record<symbol, boolean | undefined>;
  if (proc === undefined || flags[ACTIVE]) return undefined;
  flags[ACTIVE] = true;
  let received: SignalName | undefined;
  const installed: [SignalName, () => void][] = [];
  for (const name of Object.keys(SIGNALS) as SignalName[]) {
    if (proc.listenerCount(name) > 0) continue;
    const onSignal = () => {
      if (proc.listenerCount(name) > 1) return;
      if (received !== undefined) proc.exit(128 + SIGNALS[name]);
      received = name;
      main.cancel(`run(): interrupted by ${name}`);
    };
    proc.on(name, onSignal);
    installed.push([name, onSignal]);
  }
  return {
    get received() {
      return received;
    },
    dispose(interrupted) {
      for (const [name, onSignal] of installed) proc.off(name, onSignal);
      flags[ACTIVE] = undefined;
      if (received === undefined || !interrupted) return;
      const code = 128 + SIGNALS[received];
      proc.exitCode = code;
      // The CancelledError run() rejects with usually goes uncaught, which would make the exit
      // code 1; an interrupted program exits with the signal's code, as a shell expects.
      proc.once("exit", (exitCode: number) => {
        if (exitCode === 0 || exitCode === 1) proc.exitCode = code;
      });
    },
  };
}
