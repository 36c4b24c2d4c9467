import { createTask, isCancelledError, sleep, type Task } from "@taskio/core";
import { foreignWork } from "./helpers.js";
import { settle } from "./runtime.js";

/** What the task at the bottom of a chain does when a cancel request reaches it. */
export type ChainBottom = "sleeps" | "foreign" | "foreign then sleeps" | "swallows";

export const CHAIN_BOTTOMS: readonly ChainBottom[] = ["sleeps", "foreign", "foreign then sleeps", "swallows"];

/** What the top of the chain saw. */
export interface ChainOutcome {
  /** CancelledErrors the top caught over its three waits: 1 for a request delivered once. */
  cancels: number;
  /** The bottom task, to check that it ended. */
  bottom: Task<string>;
}

/**
 * Sends a cancel request down a chain of tasks that await each other and counts what reaches the
 * top. The bottom task sleeps, awaits foreign work (a promise released just after the request)
 * and returns, does both, or catches the cancellation of its sleep and returns. `chain` builds the
 * links above it; the top awaits the chain (through `wait`), then sleeps twice, catching every
 * CancelledError, so a request delivered twice counts 2 and a lost one 0.
 * @example
 * const { cancels } = await cancelDownChain("foreign", (bottom) => waitFor(bottom, 1_000));
 * expect(cancels).toBe(1);
 */
export async function cancelDownChain(
  bottomKind: ChainBottom,
  chain: (bottom: Task<string>) => Task<string>,
  wait: (chain: Task<string>) => PromiseLike<unknown> = (top) => top,
): Promise<ChainOutcome> {
  const foreign = foreignWork();
  const bottom = createTask(async () => {
    if (bottomKind === "swallows") {
      try {
        await sleep(1000);
      } catch {
        return "swallowed";
      }
    }
    if (bottomKind === "sleeps") await sleep(1000);
    if (bottomKind === "foreign" || bottomKind === "foreign then sleeps") await foreign.done;
    if (bottomKind === "foreign then sleeps") await sleep(1000);
    return "value";
  });
  const whole = chain(bottom);
  let cancels = 0;
  const top = createTask(async () => {
    for (let step = 0; step < 3; step++) {
      try {
        await (step === 0 ? wait(whole) : sleep(1));
      } catch (error) {
        if (!isCancelledError(error)) throw error;
        cancels++;
      }
    }
  });
  await settle();
  top.cancel();
  foreign.finish();
  await top;
  await settle();
  return { cancels, bottom };
}
