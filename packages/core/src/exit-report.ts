import { nodeProcess } from "./interrupts.js";
import { reportException, runtime } from "./runtime.js";

// Shared by every copy of @taskio/core in the process: one listener reports for all of them.
const INSTALLED = Symbol.for("taskio.exitReport");
let installed = false;

/**
 * Makes sure a failed task nobody retrieved is reported at the latest when the process exits: a
 * task created outside any run() has no run to report it, and the garbage collector may never
 * get to it. Called when a task fails; installs one `exit` listener per process.
 */
export function reportAtExit(): void {
  if (installed) return;
  installed = true;
  const flags = globalThis as unknown as Record<symbol, boolean | undefined>;
  const proc = nodeProcess();
  if (proc === undefined || flags[INSTALLED]) return;
  flags[INSTALLED] = true;
  proc.on("exit", () => {
    for (const ref of [...runtime.unretrieved]) {
      const task = ref.deref();
      if (task === undefined) continue;
      const error = task._error();
      task._markRetrieved();
      reportException({ message: "Task exception was never retrieved", error, task });
    }
  });
}
