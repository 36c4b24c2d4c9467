import { cpuTime, expectCancelled, foreignWork, outcome, settle, tick } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import {
  CancelledError,
  type Coroutine,
  createTask,
  currentTask,
  Future,
  isCancelledError,
  now,
  sleep,
  type Task,
  TimeoutError,
} from "../src/index.js";
import { cancelledError, timeoutError } from "../src/internal.js";

// asyncio's behaviour: docs/asyncio-semantics.md#cancelling-a-task and #cancelling-and-uncancel
describe("cancel() is a request", () => {
  it.each(["generator", "async"] as const)(
    "%s: done only once the coroutine ends with CancelledError",
    async (form) => {
      const t =
        form === "generator"
          ? createTask(function* () {
              yield* sleep(10_000);
            })
          : createTask(async () => {
              await sleep(10_000);
            });
      await tick();
      expect(t.cancel()).toBe(true);
      expect(t.cancelled()).toBe(false);
      expect(t.done()).toBe(false);
      expect(t.cancelling()).toBe(1);
      expect(t.cancel()).toBe(true);
      expect(t.cancelling()).toBe(2);
      await expectCancelled(t);
      expect(t.cancelled()).toBe(true);
      expect(t.cancel()).toBe(false);
      expect(t.cancelling()).toBe(2);
      expect(now()).toBe(0);
    },
  );
});

// asyncio's behaviour: docs/asyncio-semantics.md#cancelling-a-task
describe("before the first step", () => {
  it.each(["generator", "async"] as const)("%s: never runs any of the body, not even finally", async (form) => {
    const log: string[] = [];
    const t =
      form === "generator"
        ? createTask(function* () {
            try {
              log.push("body");
              yield* tick();
            } finally {
              log.push("finally");
            }
          })
        : createTask(async () => {
            try {
              log.push("body");
            } finally {
              log.push("finally");
            }
          });
    t.cancel("m");
    const err = await expectCancelled(t);
    expect(err.message).toBe("m");
    expect(log).toEqual([]);
    expect(() => t.exception()).toThrow("m");
  });

  it("an already-aborted outside signal means the task never runs", async () => {
    let ran = false;
    const t = createTask(
      () => {
        ran = true;
      },
      { signal: AbortSignal.abort(new Error("gone")) },
    );
    expect((await expectCancelled(t)).message).toBe("gone");
    expect(ran).toBe(false);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#cancelling-a-task
describe("delivery at the await", () => {
  it("cancels the awaited future synchronously and passes the message on", async () => {
    const fut = new Future();
    const seen: string[] = [];
    const t = createTask(function* () {
      try {
        yield* fut;
      } catch (e) {
        seen.push((e as Error).message);
        throw e;
      }
    });
    await tick();
    t.cancel("msg");
    expect(fut.cancelled()).toBe(true);
    const err = await expectCancelled(t);
    expect(err.message).toBe("msg");
    expect(seen).toEqual(["msg"]);
  });

  it.each(["generator", "async"] as const)(
    "%s: a cancelled inner future raises CancelledError at the await",
    async (form) => {
      const fut = new Future();
      const t =
        form === "generator"
          ? createTask(function* () {
              yield* fut;
            })
          : createTask(async () => {
              await fut;
            });
      await tick();
      fut.cancel();
      await expectCancelled(t);
      expect(t.cancelling()).toBe(0);
    },
  );

  it.each(["generator", "async"] as const)("%s: catching CancelledError and returning ends normally", async (form) => {
    const fut1 = new Future();
    const fut2 = new Future();
    const t =
      form === "generator"
        ? createTask(function* () {
            yield* fut1;
            try {
              yield* fut2;
            } catch (e) {
              if (isCancelledError(e)) return 42;
            }
            return 0;
          })
        : createTask(async () => {
            await fut1;
            try {
              await fut2;
            } catch (e) {
              if (isCancelledError(e)) return 42;
            }
            return 0;
          });
    await tick();
    fut1.setResult(undefined);
    await tick();
    t.cancel();
    expect(await t).toBe(42);
    expect(t.cancelled()).toBe(false);
    expect(fut2.cancelled()).toBe(true);
  });

  it.each(["generator", "async"] as const)("%s: cancellation is delivered once", async (form) => {
    const fut2 = new Future();
    const fut3 = new Future<number>();
    const t =
      form === "generator"
        ? createTask(function* () {
            try {
              yield* fut2;
            } catch {}
            return yield* fut3;
          })
        : createTask(async () => {
            try {
              await fut2;
            } catch {}
            return await fut3;
          });
    await tick();
    t.cancel();
    await tick();
    fut3.setResult(42);
    expect(await t).toBe(42);
    expect(fut3.cancelled()).toBe(false);
  });

  it("unwinds nested coroutine calls innermost first", async () => {
    let proof = 0;
    const waiter = new Future();
    function* inner(): Coroutine<void> {
      try {
        yield* waiter;
      } catch (e) {
        proof += 1;
        throw e;
      }
    }
    const t = createTask(function* () {
      try {
        yield* inner();
      } catch {
        proof += 100;
      }
    });
    await tick();
    t.cancel();
    await t;
    expect(proof).toBe(101);
    expect(waiter.cancelled()).toBe(true);
    expect(t.cancelled()).toBe(false);
  });

  it("a non-string message round-trips as text and the signal reason carries it", async () => {
    const t = createTask(async (signal) => {
      await sleep(100);
      return signal;
    });
    await tick();
    t.cancel("why");
    expect((await expectCancelled(t)).message).toBe("why");
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#cancelling-a-task and #no-completed-value-is-dropped
describe("self-cancellation", () => {
  it.each(["generator", "async"] as const)("%s: delivered at the next real suspension, at once", async (form) => {
    const t: Task<void> =
      form === "generator"
        ? createTask(function* () {
            currentTask()!.cancel();
            yield* sleep(100_000);
          })
        : createTask(async () => {
            currentTask()!.cancel();
            await sleep(100_000);
          });
    await expectCancelled(t);
    expect(now()).toBe(0);
  });

  it.each(["generator", "async"] as const)(
    "%s: returning while a request is pending keeps the value (asyncio drops it)",
    async (form) => {
      const t =
        form === "generator"
          ? createTask(function* () {
              currentTask()!.cancel();
              return 12;
            })
          : createTask(async () => {
              currentTask()!.cancel();
              return 12;
            });
      expect(await t).toBe(12);
      expect(t.cancelled()).toBe(false);
      expect(t.cancelling()).toBe(1);
    },
  );

  it.each(["generator", "async"] as const)(
    "%s: awaiting a done future does not deliver; the next pending one does",
    async (form) => {
      const done = new Future<string>();
      done.setResult("x");
      const log: string[] = [];
      const t =
        form === "generator"
          ? createTask(function* () {
              currentTask()!.cancel();
              log.push(yield* done);
              yield* sleep(0);
              log.push("not reached");
            })
          : createTask(async () => {
              currentTask()!.cancel();
              log.push(await done);
              await sleep(0);
              log.push("not reached");
            });
      await expectCancelled(t);
      expect(log).toEqual(["x"]);
    },
  );

  it("awaiting a pending task after a self-cancel cancels it and what it waits on", async () => {
    const fut = new Future();
    const nested = createTask(function* () {
      yield* fut;
    });
    const t = createTask(function* () {
      currentTask()!.cancel();
      yield* nested;
    });
    await expectCancelled(t);
    await expectCancelled(nested);
    expect(fut.cancelled()).toBe(true);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#no-completed-value-is-dropped and #cancelling-and-uncancel
describe("completion vs cancel race: no completed value is dropped (asyncio drops it)", () => {
  it.each(["generator", "async"] as const)(
    "%s: resumes with the value; the request stays pending for the next wait",
    async (form) => {
      const fut = new Future<string>();
      const log: string[] = [];
      const t =
        form === "generator"
          ? createTask(function* () {
              log.push(yield* fut);
              yield* sleep(1);
              log.push("not reached");
            })
          : createTask(async () => {
              log.push(await fut);
              await sleep(1);
              log.push("not reached");
            });
      await tick();
      fut.setResult("v");
      expect(t.cancel()).toBe(true);
      expect(fut.cancelled()).toBe(false);
      await expectCancelled(t);
      expect(log).toEqual(["v"]);
    },
  );

  it("uncancel() to 0 withdraws a request not yet delivered", async () => {
    const fut = new Future();
    const t = createTask(function* () {
      yield* fut;
      yield* sleep(1);
      return 42;
    });
    await tick();
    fut.setResult(undefined);
    t.cancel();
    expect(t.uncancel()).toBe(0);
    expect(await t).toBe(42);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#cancelling-a-task
describe("awaiting tasks passes cancellation on", () => {
  it.each(["generator", "async"] as const)(
    "%s: a stubborn inner's value reaches the outer, which is not cancelled",
    async (form) => {
      const inner = createTask(async () => {
        try {
          await sleep(1000);
        } catch {
          return "stubborn";
        }
        return "slept";
      });
      const outer =
        form === "generator"
          ? createTask(function* () {
              return yield* inner;
            })
          : createTask(async () => await inner);
      await tick();
      outer.cancel();
      expect(await outer).toBe("stubborn");
      expect(outer.cancelled()).toBe(false);
      expect(outer.cancelling()).toBe(1);
    },
  );

  it.each(["generator", "async"] as const)(
    "%s: cancelling the outer end of a chain of 20,000 tasks, each awaiting the next, reaches the innermost before cancel() returns",
    async (form) => {
      // Each task's cancel() cancelled the next from inside its own call: the stack overflowed
      // (RangeError out of cancel(), and the chain was left half cancelled). asyncio's does too.
      const innermost = createTask(() => sleep(1e9));
      const chain: Task<unknown>[] = [innermost];
      for (let i = 0; i < 20_000; i++) {
        const next = chain[chain.length - 1]!;
        chain.push(
          form === "generator"
            ? createTask(function* () {
                return yield* next;
              })
            : createTask(async () => await next),
        );
      }
      await settle();
      expect(chain.at(-1)!.cancel("stop")).toBe(true);
      expect(innermost.cancelling()).toBe(1);
      await Promise.allSettled(chain);
      expect(chain.every((task) => task.cancelled())).toBe(true);
    },
  );

  it.each(["generator", "async"] as const)(
    "%s: a request the inner takes but never delivers (it ends without another taskio await) comes back to the outer",
    async (form) => {
      // The inner's body is past its last taskio await: it keeps its value, and the outer used to
      // go on as if never cancelled, through the sleep below.
      const foreign = foreignWork();
      const inner = createTask(async () => {
        await foreign.done;
        return "inner's value";
      });
      const log: string[] = [];
      const outer =
        form === "generator"
          ? createTask(function* () {
              log.push(yield* inner);
              yield* sleep(1000);
              log.push("not reached");
            })
          : createTask(async () => {
              log.push(await inner);
              await sleep(1000);
              log.push("not reached");
            });
      await tick();
      expect(outer.cancel("stop")).toBe(true);
      foreign.finish();
      const error = await expectCancelled(outer);
      expect(error.message).toContain("stop");
      expect(log).toEqual(["inner's value"]);
      expect(await inner).toBe("inner's value");
    },
  );

  it.each(["generator", "async"] as const)(
    "%s: a request passed down a chain of 300 tasks to one past its last await comes back to the top",
    async (form) => {
      // Past 100 nested cancel() calls the rest are queued (see the chain of 20,000 below): the
      // task at the seam must still hand the request back.
      const foreign = foreignWork();
      const innermost = createTask(async () => {
        await foreign.done;
        return "value";
      });
      const chain: Task<unknown>[] = [innermost];
      for (let i = 0; i < 300; i++) {
        const next = chain[chain.length - 1]!;
        chain.push(
          form === "generator"
            ? createTask(function* () {
                return yield* next;
              })
            : createTask(async () => await next),
        );
      }
      const log: unknown[] = [];
      const top = createTask(async () => {
        log.push(await chain[chain.length - 1]!);
        await sleep(1000);
        log.push("not reached");
      });
      await settle();
      top.cancel();
      foreign.finish();
      await expectCancelled(top);
      expect(log).toEqual(["value"]);
    },
  );

  it("a request the inner delivered to its body and swallowed does not come back with a later one it holds", async () => {
    const gates: (() => void)[] = [];
    const foreign = () =>
      new Promise<void>((resolve) => {
        gates.push(resolve);
      });
    const inner = createTask(async () => {
      await foreign();
      try {
        await sleep(10);
      } catch {
        // The outer's request, delivered here: swallowed, so the outer goes on (as in asyncio).
      }
      await foreign();
      return "inner's value";
    });
    const outer = createTask(async () => {
      const value = await inner;
      await sleep(10);
      return `outer got ${value}`;
    });
    await tick();
    outer.cancel();
    gates[0]!();
    await settle();
    // A request of the inner's own, held past its last await: it ends with its value anyway.
    inner.cancel();
    gates[1]!();
    expect(await outer).toBe("outer got inner's value");
    expect(outer.cancelling()).toBe(1);
  });

  it.each([
    ["Promise.race", "the task first"],
    ["Promise.race", "the wait first"],
    ["Promise.all", "the task first"],
    ["Promise.all", "the wait first"],
  ] as const)(
    "a request passed several ways at once (%s of a task past its last await and a wait, %s) is delivered once",
    async (combinator, order) => {
      const foreign = foreignWork();
      const job = async () => {
        await foreign.done;
        return "value";
      };
      const log: string[] = [];
      const outer = createTask(async () => {
        try {
          const task = createTask(job);
          const wait = combinator === "Promise.race" ? sleep(1000) : createTask(() => sleep(1000));
          const both = order === "the task first" ? [task, wait] : [wait, task];
          await (combinator === "Promise.race" ? Promise.race(both) : Promise.all(both));
        } catch (error) {
          log.push(isCancelledError(error) ? "cancelled" : "other");
          foreign.finish();
          // The task that held the request ends now, with its value: it must not come back.
          await sleep(10);
          await sleep(10);
          return "cleaned up";
        }
        return "not cancelled";
      });
      await tick();
      outer.cancel();
      expect(await outer).toBe("cleaned up");
      expect(log).toEqual(["cancelled"]);
    },
  );

  it("a request the outer withdrew with uncancel() while the inner held it stays withdrawn", async () => {
    const foreign = foreignWork();
    const inner = createTask(async () => {
      await foreign.done;
      return 1;
    });
    const outer = createTask(async () => {
      const value = await inner;
      await sleep(10);
      return value + 1;
    });
    await tick();
    outer.cancel();
    expect(outer.uncancel()).toBe(0);
    foreign.finish();
    expect(await outer).toBe(2);
  });

  it.each(["generator", "async"] as const)(
    "%s: a loop awaiting fresh tasks that end without a taskio await stops at the next task",
    async (form) => {
      // An async function's await reaches the new task a microtask after createTask(): the task
      // used to start first, end with its value and keep the request, turn after turn. Bounded,
      // so that a regression ends the loop ("returned") instead of running it forever.
      let ran = 0;
      const job = async () => ++ran;
      const outer =
        form === "generator"
          ? createTask(function* () {
              while (ran < 100_000) yield* createTask(job);
            })
          : createTask(async () => {
              while (ran < 100_000) await createTask(job);
            });
      await tick();
      expect(ran).toBeGreaterThan(0);
      outer.cancel();
      const before = ran;
      await expectCancelled(outer);
      expect(ran - before).toBeLessThanOrEqual(1);
    },
  );

  it.each(["generator", "async"] as const)(
    "%s: after a self-cancel, a task created and then awaited never runs",
    async (form) => {
      let ran = false;
      const job = async () => {
        ran = true;
      };
      const t =
        form === "generator"
          ? createTask(function* () {
              currentTask()!.cancel();
              yield* createTask(job);
            })
          : createTask(async () => {
              currentTask()!.cancel();
              await createTask(job);
            });
      await expectCancelled(t);
      await settle();
      expect(ran).toBe(false);
    },
  );

  it("a CancelledError escaping marks the task cancelled though nobody cancelled it", async () => {
    const child = createTask(() => sleep(1000));
    const parent = createTask(async () => {
      await child;
    });
    await tick();
    child.cancel("bye");
    expect((await expectCancelled(parent)).message).toBe("bye");
    expect(parent.cancelling()).toBe(0);
  });

  it("await Promise.all([a, b]) in an async task: cancelling the task cancels both", async () => {
    const a = new Future();
    const b = new Future();
    const t = createTask(async () => {
      await Promise.all([a, b]);
    });
    await tick();
    t.cancel();
    await expectCancelled(t);
    expect(a.cancelled()).toBe(true);
    expect(b.cancelled()).toBe(true);
  });

  it("await Promise.all(tasks) of many, some already done: cancelling the task cancels every one still pending", async () => {
    const children = Array.from({ length: 100 }, (_, i) => createTask(() => sleep(i % 3 === 0 ? 1 : 1_000)));
    const t = createTask(async () => {
      await Promise.all(children);
    });
    await sleep(10);
    t.cancel();
    await expectCancelled(t);
    await Promise.allSettled(children);
    expect(children.map((child) => child.cancelled())).toEqual(children.map((_, i) => i % 3 !== 0));
  });

  it("await Promise.all() of tens of thousands pending Futures does not copy the task's list of waits for each", async () => {
    // Each wait past the eighth used to copy the task's list of waits: a task awaiting 40,000
    // Futures at once took about 14 s to register them, with the event loop blocked.
    const waits = Array.from({ length: 40_000 }, () => new Future<number>());
    let task: Task<void> | undefined;
    const used = await cpuTime(async () => {
      task = createTask(async () => {
        await Promise.all(waits);
      });
      await settle();
    });
    // Generous for a loaded machine: this takes about 100 ms.
    expect(used).toBeLessThan(3_000);
    task!.cancel();
    await expectCancelled(task!);
    expect(waits.every((w) => w.cancelled())).toBe(true);
  });

  it("addDoneCallback does not make the task wait on the future", async () => {
    const f = new Future();
    const t = createTask(async () => {
      f.addDoneCallback(() => {});
      await sleep(10);
    });
    await tick();
    t.cancel();
    await expectCancelled(t);
    expect(f.cancelled()).toBe(false);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#cancelling-and-uncancel
describe("uncancel", () => {
  it("counts down, never below 0, and lets a later cancel count from 1", async () => {
    const t = createTask(function* () {
      try {
        yield* sleep(10);
      } catch {
        currentTask()!.uncancel();
        yield* sleep(10);
      }
    });
    await tick();
    t.cancel();
    expect(t.cancelling()).toBe(1);
    await tick();
    expect(t.cancelling()).toBe(0);
    expect(t.done()).toBe(false);
    t.cancel();
    expect(t.cancelling()).toBe(1);
    await expectCancelled(t);
    expect(t.uncancel()).toBe(0);
    expect(t.cancelled()).toBe(true);
    expect(t.uncancel()).toBe(0);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#cancelling-a-task
describe("AbortSignal interop", () => {
  it("task.signal aborts at the first cancel with the CancelledError as reason, and stays aborted", async () => {
    let reason: unknown;
    const t = createTask(async (signal) => {
      try {
        await new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
      } catch (e) {
        reason = e;
        currentTask()!.uncancel();
      }
      return signal.aborted;
    });
    await tick();
    t.cancel("stop");
    expect(await t).toBe(true);
    expect(reason).toBeInstanceOf(CancelledError);
    expect((reason as Error).message).toBe("stop");
  });

  it("a foreign promise given the signal rejects with exactly the signal's reason", async () => {
    const t = createTask(async (signal) => {
      await new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
    });
    await tick();
    t.cancel();
    const result = await outcome(t);
    expect(result.status).toBe("cancelled");
    expect(result.status === "cancelled" && result.error).toBe(t.signal.reason);
  });

  it("the signal is created lazily, already aborted if a cancel came first", () => {
    const t = createTask(() => 1);
    t.cancel("early");
    expect(t.signal.aborted).toBe(true);
    expect((t.signal.reason as Error).message).toBe("early");
    return expectCancelled(t);
  });

  it("an abort listener cancelling the waiter does not make one request deliver twice", async () => {
    const log: string[] = [];
    const t = createTask(function* () {
      const fut = new Future<number>();
      currentTask()!.signal.addEventListener("abort", () => fut.cancel("aborted"));
      try {
        yield* fut;
      } catch {
        log.push("caught");
      }
      yield* sleep(10);
      log.push("after sleep");
      return 1;
    });
    await tick();
    t.cancel();
    expect(await t).toBe(1);
    expect(log).toEqual(["caught", "after sleep"]);
  });

  it("an outside signal aborted later cancels the task", async () => {
    const controller = new AbortController();
    const t = createTask(() => sleep(1000), { signal: controller.signal });
    await tick();
    controller.abort(new Error("user left"));
    expect((await expectCancelled(t)).message).toBe("user left");
  });

  it("a foreign await without the signal is not interrupted, but the next taskio await is", async () => {
    const log: string[] = [];
    const foreign = foreignWork();
    const t = createTask(async () => {
      await foreign.done;
      log.push("foreign finished");
      await sleep(10);
      log.push("not reached");
    });
    await tick();
    t.cancel();
    foreign.finish();
    await expectCancelled(t);
    expect(log).toEqual(["foreign finished"]);
  });
});

describe("cancel inside finally, double cancel", () => {
  it("a cancel while the task runs cleanup after a caught cancellation is delivered at the cleanup's await", async () => {
    const log: string[] = [];
    const t = createTask(async () => {
      try {
        await sleep(100);
      } finally {
        log.push("cleanup start");
        try {
          await sleep(100);
          log.push("cleanup done");
        } catch (e) {
          log.push(`cleanup cancelled ${isCancelledError(e)}`);
          // biome-ignore lint/correctness/noUnsafeFinally: re-raising the cleanup's cancellation is the scenario
          throw e;
        }
      }
    });
    await tick();
    t.cancel("first");
    await tick();
    t.cancel("second");
    await expectCancelled(t);
    expect(log).toEqual(["cleanup start", "cleanup cancelled true"]);
  });

  it("await using cancels a pending task and waits for it", async () => {
    const log: string[] = [];
    {
      await using t = createTask(async () => {
        try {
          await sleep(1000);
        } finally {
          await sleep(1);
          log.push("cleaned");
        }
      });
      await tick();
      expect(t.done()).toBe(false);
    }
    expect(log).toEqual(["cleaned"]);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#cancelling-a-task
describe("delivery through the signal", () => {
  it("a foreign await given the signal receives the cancellation; cleanup can then await taskio work", async () => {
    const log: string[] = [];
    const t = createTask(async (signal) => {
      try {
        await new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));
      } finally {
        try {
          await sleep(10);
          log.push("cleanup ok");
        } catch (e) {
          log.push(`cleanup ${(e as Error).name}`);
        }
      }
    });
    await tick();
    t.cancel("stop");
    expect((await expectCancelled(t)).message).toBe("stop");
    expect(log).toEqual(["cleanup ok"]);
  });

  it("a listener that only observes the abort leaves the request for the next taskio await", async () => {
    const log: string[] = [];
    const foreign = foreignWork();
    const t = createTask(async (signal) => {
      signal.addEventListener("abort", () => log.push("observed"));
      await foreign.done;
      log.push("foreign done");
      await sleep(1000);
      log.push("not reached");
    });
    await tick();
    t.cancel();
    foreign.finish();
    await expectCancelled(t);
    expect(log).toEqual(["observed", "foreign done"]);
    expect(now()).toBe(0);
  });
});

describe("reading the signal's reason never loses a request", () => {
  it.each([
    [
      "a logging abort listener",
      (signal: AbortSignal) => signal.addEventListener("abort", () => String(signal.reason)),
    ],
    ["a child linked to the signal", (signal: AbortSignal) => createTask(() => sleep(10_000), { signal })],
    [
      "a read after the abort",
      (signal: AbortSignal) => signal.addEventListener("abort", () => tick().then(() => signal.reason)),
    ],
  ] as const)(
    "with %s, the task is cancelled at its next taskio await after foreign work that ignored the signal",
    async (_, reader) => {
      const log: string[] = [];
      const foreign = foreignWork();
      const t = createTask(async (signal) => {
        reader(signal);
        await foreign.done;
        log.push("foreign done");
        await sleep(1000);
        log.push("not reached");
      });
      await tick();
      expect(t.cancel("stop")).toBe(true);
      await tick();
      await tick();
      foreign.finish();
      expect((await expectCancelled(t)).message).toBe("stop");
      expect(log).toEqual(["foreign done"]);
    },
  );
});

describe("a task awaiting itself", () => {
  it.each(["generator", "async"] as const)(
    "%s: gets InvalidStateError 'Task cannot await on itself' and can go on, and be cancelled",
    async (form) => {
      const t: Task<string> =
        form === "generator"
          ? createTask(function* (): Coroutine<string> {
              try {
                yield* currentTask()!;
              } catch (e) {
                expect((e as Error).name).toBe("InvalidStateError");
                expect((e as Error).message).toBe("Task cannot await on itself");
              }
              yield* sleep(10_000);
              return "not reached";
            })
          : createTask(async () => {
              try {
                await currentTask()!;
              } catch (e) {
                expect((e as Error).name).toBe("InvalidStateError");
                expect((e as Error).message).toBe("Task cannot await on itself");
              }
              await sleep(10_000);
              return "not reached";
            });
      await tick();
      await tick();
      expect(t.cancel()).toBe(true);
      await expectCancelled(t);
      expect(now()).toBe(0);
    },
  );
});

describe("what a CancelledError shows", () => {
  it.each(["generator", "async"] as const)(
    "%s: its stack is its message and the task it was raised into, without captured frames",
    async (form) => {
      const t =
        form === "generator"
          ? createTask(
              function* () {
                yield* sleep(10_000);
              },
              { name: "worker" },
            )
          : createTask(
              async () => {
                await sleep(10_000);
              },
              { name: "worker" },
            );
      await tick();
      t.cancel("shutting down");
      const error = await expectCancelled(t);
      expect(error.message).toBe("shutting down");
      expect(error.stack).toBe("CancelledError: shutting down\n    at <task worker>");
    },
  );

  it("a task cancelled before it ran, and its signal's reason, name the task too", async () => {
    const t = createTask(() => 1, { name: "early" });
    t.cancel();
    expect((t.signal.reason as Error).stack).toBe("CancelledError\n    at <task early>");
    expect((await expectCancelled(t)).stack).toBe("CancelledError\n    at <task early>");
  });

  it("without a message, its message is the empty string, as Error's is", async () => {
    const t = createTask(function* () {
      yield* sleep(10_000);
    });
    await tick();
    t.cancel();
    const error = await expectCancelled(t);
    expect(error.message).toBe("");
    expect(String(error)).toBe("CancelledError");
    expect(new CancelledError().message).toBe("");
    expect(new CancelledError(undefined, { cause: "why" }).cause).toBe("why");
  });

  it("is the same under node --frozen-intrinsics, where Error.stackTraceLimit cannot change", async () => {
    const { execFile } = await import("node:child_process");
    const script = new URL("./fixtures/frozen-intrinsics.mjs", import.meta.url);
    const stdout = await new Promise<string>((resolve) =>
      execFile(process.execPath, ["--frozen-intrinsics", script.pathname], { timeout: 30_000 }, (_error, out) =>
        resolve(out),
      ),
    );
    expect(stdout).toBe(
      "CancelledError: stop |     at <task generator>\nCancelledError: stop |     at <task async function>\n" +
        "TimeoutError: too slow |     at <task generator>\n",
    );
  });

  it("leaves Error.stackTraceLimit as it found it, so other errors keep their frames", async () => {
    const t = createTask(async () => {
      await sleep(10_000);
    });
    await tick();
    const limit = Error.stackTraceLimit;
    t.cancel();
    await expectCancelled(t);
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error("after").stack).toMatch(/\n\s+at /);
  });

  it("leaves Error.stackTraceLimit as it found it even when the message cannot be made a string", () => {
    const limit = Error.stackTraceLimit;
    const unprintable = {
      toString(): string {
        throw new TypeError("no string for you");
      },
    };
    expect(() => cancelledError(unprintable as unknown as string)).toThrow("no string for you");
    expect(Error.stackTraceLimit).toBe(limit);
  });

  it("the TimeoutError a deadline raises shows the same: its message and the task whose deadline passed", () => {
    const task = createTask(() => 1, { name: "slow-report" });
    const cause = cancelledError("late", task);
    const error = timeoutError("timeout() timed out after 10 ms", cause, task);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.cause).toBe(cause);
    expect(error.stack).toBe("TimeoutError: timeout() timed out after 10 ms\n    at <task slow-report>");
    expect(timeoutError("late", cause).stack).toBe("TimeoutError: late");
    task.cancel();
  });
});
