import { createTask, isCancelledError } from "taskio";
import { main } from "./main.js";

// The tour runs as a task, so Ctrl-C is a cancellation: the running scenario cleans up, the
// server closes, and nothing is left half-done.
const tour = createTask(() => main(process.argv.slice(2)), { name: "tour" });
const interrupt = () => tour.cancel("interrupted (Ctrl-C)");
process.once("SIGINT", interrupt);
try {
  process.exitCode = await tour;
} catch (error) {
  if (!isCancelledError(error)) throw error;
  process.stderr.write(`\n${error.message}\n`);
  process.exitCode = 130;
} finally {
  process.off("SIGINT", interrupt);
}
