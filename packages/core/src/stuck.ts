import { InvalidStateError } from "./errors.js";
import { PENDING } from "./future.js";
import type { SignalProcess } from "./interrupts.js";
import { pendingTasks, type RunScope, type Task } from "./tasks.js";

/** Settles when the process ran out of work while the run was still waiting: nothing can wake it. */
export interface StuckWatch {
  /** Settles the second time the loop runs out of work with the run unfinished. */
  readonly stuck: Promise<InvalidStateError>;
  /** Set the first time: the run must reject with it even if the cancellation let it finish. */
  readonly report: InvalidStateError | undefined;
  dispose(): void;
}

function describePending(scope: RunScope, main: Task<unknown>): string {
  const others = pendingTasks(scope).filter((t) => t !== main);
  const tasks = main._state === PENDING ? [main, ...others] : others;
  return tasks.map((task) => `  <Task pending name='${task.getName()}'>: ${task._waitingOn()}`).join("\n");
}

/**
 * Watches `beforeExit`, which Node emits when its event loop is empty. The first time, the run's
 * tasks are cancelled: those waiting on taskio Futures wake, run their finally blocks and may
 * finish the run. If the loop empties again with the run still unfinished (a task waits on a
 * promise nobody will settle), `stuck` settles with an InvalidStateError naming each task and
 * what it waits on, so run() can reject and the code after it runs.
 */
export function watchStuck(proc: SignalProcess | undefined, scope: RunScope, main: Task<unknown>): StuckWatch {
  let report: InvalidStateError | undefined;
  let settle: (error: InvalidStateError) => void = () => {};
  const stuck = new Promise<InvalidStateError>((resolve) => {
    settle = resolve;
  });
  const onBeforeExit = () => {
    if (report !== undefined) {
      settle(report);
      return;
    }
    const what = main._state === PENDING ? "the main task never finished" : "tasks it created never finished";
    report = new InvalidStateError(
      `run(): the process is about to exit but ${what}; nothing can wake these tasks:\n${describePending(scope, main)}`,
    );
    for (const task of pendingTasks(scope)) task.cancel("run(): the event loop ran out of work");
    // One more turn of the loop, so that beforeExit comes again even if no cancellation woke anything.
    setTimeout(() => {}, 0);
  };
  proc?.on("beforeExit", onBeforeExit);
  return {
    stuck,
    get report() {
      return report;
    },
    dispose() {
      proc?.off("beforeExit", onBeforeExit);
    },
  };
}
