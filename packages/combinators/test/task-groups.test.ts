import { inspect } from "node:util";
import {
  type Coroutine,
  createTask,
  currentTask,
  ExceptionGroup,
  Future,
  InvalidStateError,
  isCancelledError,
  now,
  sleep,
  type Task,
} from "@taskio/core";
import { expectCancelled, outcome, settle, tick, timeline } from "@taskio/testkit";
import { describe, expect, it } from "vitest";
import { TaskGroup, taskGroup, taskGroupOf } from "../src/index.js";

class ZeroDivision extends Error {
  override name = "ZeroDivision";
}
class MyError extends Error {
  override name = "MyError";
}

async function failAfter(ms: number, error: Error = new ZeroDivision()): Promise<never> {
  await sleep(ms);
  throw error;
}

/** A generator task body that fails as soon as `gate` is set: failures in one loop iteration. */
function failWhen(gate: Future<void>, error: Error) {
  return function* (): Coroutine<never> {
    yield* gate;
    throw error;
  };
}

function* delayed<T>(ms: number, value: T): Coroutine<T> {
  yield* sleep(ms);
  return value;
}

/** The ExceptionGroup a group task rejected with. */
async function groupError(task: Task<unknown>): Promise<ExceptionGroup> {
  const result = await outcome(task);
  if (result.status !== "rejected") throw new Error(`expected the group to reject, it was ${result.status}`);
  expect(result.error).toBeInstanceOf(ExceptionGroup);
  return result.error as ExceptionGroup;
}

const names = (group: ExceptionGroup) => group.exceptions.map((e) => (e as Error).name);

// asyncio's behaviour: docs/asyncio-semantics.md#taskgroup
describe("taskGroup: success", () => {
  it("waits for every task, also ones created after awaits, and returns the body's value", async () => {
    let late!: Task<string>;
    const { t1, t2 } = await taskGroup(async (tg) => {
      const t1 = tg.createTask(delayed(100, 42));
      await sleep(10);
      const t2 = tg.createTask(delayed(200, 11), { name: "second" });
      late = tg.createTask(async () => {
        await sleep(300);
        return "late";
      });
      return { t1, t2 };
    });
    expect(now()).toBe(310);
    expect([t1.result(), t2.result(), late.result()]).toEqual([42, 11, "late"]);
    expect(t2.getName()).toBe("second");
  });

  it("runs a generator body in a generator task", async () => {
    const task = taskGroup(function* (tg) {
      const child = tg.createTask(delayed(10, 2));
      const v = yield* child;
      return v * 21;
    });
    expect(await task).toBe(42);
  });

  it("accepts a plain function body and one returning a Future", async () => {
    let child!: Task<number>;
    expect(
      await taskGroup((tg) => {
        child = tg.createTask(delayed(5, 1));
        return "plain";
      }),
    ).toBe("plain");
    expect(child.result()).toBe(1);
    expect(await taskGroup(() => sleep(5, "future"))).toBe("future");
  });

  it("runs the body as the returned task: currentTask() and tg.signal are that task's", async () => {
    let inside: Task<unknown> | undefined;
    let signal: AbortSignal | undefined;
    const task = taskGroup(async (tg) => {
      await tick();
      inside = currentTask();
      signal = tg.signal;
    });
    await task;
    expect(inside).toBe(task);
    expect(signal).toBe(task.signal);
    expect(signal!.aborted).toBe(false);
  });

  it("treats a child cancelled explicitly, or by itself, as no error", async () => {
    let t1!: Task<void>;
    let t3!: Task<void>;
    const { t2 } = await taskGroup(async (tg) => {
      t1 = tg.createTask(() => sleep(1000));
      const t2 = tg.createTask(delayed(200, 11));
      t3 = tg.createTask(async () => {
        currentTask()!.cancel();
        await sleep(10);
      });
      await sleep(10);
      t1.cancel();
      return { t2 };
    });
    expect(t1.cancelled()).toBe(true);
    expect(t3.cancelled()).toBe(true);
    expect(t2.result()).toBe(11);
  });

  it("lets tasks add tasks until the group has finished, also while it waits at the exit", async () => {
    const log = timeline();
    await taskGroup(async (tg) => {
      tg.createTask(async () => {
        await sleep(100);
        tg.createTask(async () => {
          await sleep(100);
          log.log("grandchild");
        });
      });
    });
    expect(log.stamped()).toEqual(["grandchild@200"]);
  });

  it("works from inside a task as well as at top level", async () => {
    const outer = createTask(async () => await taskGroup(async (tg) => (await tg.createTask(delayed(5, 3))) + 1));
    expect(await outer).toBe(4);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#taskgroup and #cancelling-a-task
describe("taskGroup: failures", () => {
  it("cancels the body and the other tasks at the first failure, then rejects with an ExceptionGroup", async () => {
    let num = 0;
    let bodyCancelled = false;
    let foo2Cancelled = false;
    const group = taskGroup(async (tg) => {
      for (let i = 0; i < 3; i++) tg.createTask(() => failAfter(100));
      tg.createTask(async () => {
        try {
          await sleep(5000);
        } catch (e) {
          foo2Cancelled = isCancelledError(e);
          throw e;
        }
      });
      try {
        await sleep(10_000);
      } catch (e) {
        bodyCancelled = isCancelledError(e);
        throw e;
      }
      num = 1;
    });
    const eg = await groupError(group);
    // On the virtual clock the three 100 ms timers fire one after the other, so the first failure
    // cancels the other two before they fail.
    expect(names(eg)).toEqual(["ZeroDivision"]);
    expect(foo2Cancelled && bodyCancelled).toBe(true);
    expect(num).toBe(0);
    expect(now()).toBe(100);
  });

  it("takes back its own cancellation of the body", async () => {
    const group = taskGroup(async (tg) => {
      tg.createTask(() => failAfter(0, new MyError()));
      await sleep(1000);
    });
    const caller = createTask(async () => {
      try {
        await group;
      } catch (e) {
        if (!(e instanceof ExceptionGroup)) throw e;
      }
      return currentTask()!.cancelling();
    });
    expect(await caller).toBe(0);
    expect(group.cancelling()).toBe(0);
    expect(group.cancelled()).toBe(false);
  });

  it("orders the errors as it saw them: tasks first, the body's own last", async () => {
    const x = new MyError("x");
    const y = new ZeroDivision("y");
    const gate = new Future<void>();
    const group = taskGroup(async (tg) => {
      tg.createTask(failWhen(gate, x));
      tg.createTask(failWhen(gate, y));
      await sleep(1000);
    });
    await settle();
    gate.setResult(); // both fail in the same loop iteration
    let eg = await groupError(group);
    expect(eg.exceptions).toEqual([x, y]);

    const key = new MyError("child");
    const value = new RangeError("body");
    eg = await groupError(
      taskGroup(async (tg) => {
        tg.createTask(() => failAfter(10, key));
        try {
          await sleep(1000);
        } finally {
          // biome-ignore lint/correctness/noUnsafeFinally: the body fails while being cancelled
          throw value;
        }
      }),
    );
    expect(eg.exceptions).toEqual([key, value]);
  });

  it.each([0, 100])("wraps a lone body error in an ExceptionGroup and cancels the tasks (after %i ms)", async (ms) => {
    let t1!: Task<void>;
    let t2!: Task<void>;
    const error = new ZeroDivision();
    const eg = await groupError(
      taskGroup(async (tg) => {
        t1 = tg.createTask(() => sleep(1000));
        t2 = tg.createTask(() => sleep(2000));
        if (ms) await sleep(ms);
        throw error;
      }),
    );
    expect(eg.exceptions).toEqual([error]);
    expect(t1.cancelled() && t2.cancelled()).toBe(true);
  });

  it.each(["generator", "async"] as const)(
    "%s body: never starts tasks when it fails before they ran",
    async (form) => {
      let ran = false;
      const child = async () => {
        ran = true;
      };
      const eg = await groupError(
        form === "generator"
          ? taskGroup(function* (tg) {
              tg.createTask(child);
              throw new MyError();
            })
          : taskGroup(async (tg) => {
              tg.createTask(child);
              throw new MyError();
            }),
      );
      expect(names(eg)).toEqual(["MyError"]);
      expect(ran).toBe(false);
    },
  );

  it.each(["generator", "async"] as const)(
    "%s body: a task another task of the group made before failing takes its first step, in creation order",
    async (form) => {
      const log: string[] = [];
      const child = (tg: TaskGroup) => async () => {
        tg.createTask(async () => {
          log.push("made by the child");
          await sleep(1000);
        });
        createTask(async () => {
          log.push("made outside the group");
        });
        throw new MyError();
      };
      const eg = await groupError(
        form === "generator"
          ? taskGroup(function* (tg) {
              tg.createTask(child(tg));
              yield* sleep(10);
            })
          : taskGroup(async (tg) => {
              tg.createTask(child(tg));
              await sleep(10);
            }),
      );
      expect(names(eg)).toEqual(["MyError"]);
      expect(log).toEqual(["made by the child", "made outside the group"]);
    },
  );

  it("async body: never starts the tasks it made after an await when it fails in that same run", async () => {
    const ran: string[] = [];
    const eg = await groupError(
      taskGroup(async (tg) => {
        tg.createTask(async () => {
          ran.push("before the await");
          await sleep(1000);
        });
        await sleep(10);
        tg.createTask(async () => {
          ran.push("after the await");
        });
        throw new MyError();
      }),
    );
    expect(names(eg)).toEqual(["MyError"]);
    expect(ran).toEqual(["before the await"]);
  });

  it("refuses createTask while shutting down and after it finished", async () => {
    let saved!: TaskGroup;
    let shuttingDown: unknown;
    const eg = await groupError(
      taskGroup(async (tg) => {
        saved = tg;
        tg.createTask(() => failAfter(0));
        try {
          await sleep(1000);
        } catch {
          try {
            tg.createTask(delayed(1, 1));
          } catch (e) {
            shuttingDown = e;
          }
        }
      }),
    );
    expect(names(eg)).toEqual(["ZeroDivision"]);
    expect(shuttingDown).toBeInstanceOf(InvalidStateError);
    expect((shuttingDown as Error).message).toMatch(/is shutting down/);
    expect(() => saved.createTask(delayed(1, 1))).toThrow(/TaskGroup.* is finished/);
    expect(() => saved.createTask(delayed(1, 1))).toThrow(InvalidStateError);
  });

  it("cannot be used without taskGroup()", () => {
    const tg = new (TaskGroup as unknown as new () => TaskGroup)();
    expect(() => tg.createTask(delayed(1, 1))).toThrow(/has not been entered/);
    expect(() => tg.signal).toThrow(InvalidStateError);
    tg.cancel(); // a no-op
    expect(String(tg)).toBe("<TaskGroup>");
  });

  it("never runs the body when cancelled before its first step", async () => {
    let ran = false;
    const group = taskGroup(async () => {
      ran = true;
    });
    group.cancel();
    await expectCancelled(group);
    expect(ran).toBe(false);
  });

  it("refuses a body that is not a function", () => {
    expect(() => taskGroup(42 as never)).toThrow(/taskGroup\(body\): body must be a function/);
  });

  it("collects a body that raises from finally after a child error cancelled it", async () => {
    const eg = await groupError(
      taskGroup(async (tg) => {
        tg.createTask(() => failAfter(10));
        try {
          await sleep(1000);
        } finally {
          // biome-ignore lint/correctness/noUnsafeFinally: the body's cleanup fails
          throw new MyError();
        }
      }),
    );
    expect(names(eg)).toEqual(["ZeroDivision", "MyError"]);
  });

  it("still rejects when the body swallows the group's cancellation and goes on", async () => {
    let afterSwallow = false;
    const group = taskGroup(async (tg) => {
      tg.createTask(() => failAfter(10));
      try {
        await sleep(1000);
      } catch {}
      await sleep(50);
      afterSwallow = true;
      return "ignored";
    });
    const eg = await groupError(group);
    expect(names(eg)).toEqual(["ZeroDivision"]);
    expect(afterSwallow).toBe(true);
    expect(group.cancelling()).toBe(0);
  });

  it("does not let the body's foreign await hide the cancellation: it comes at the next taskio await", async () => {
    const log = timeline();
    const group = taskGroup(async (tg) => {
      tg.createTask(() => failAfter(10));
      // A native promise: an await taskio cannot interrupt.
      await new Promise((resolve) => sleep(50).addDoneCallback(resolve));
      log.log(tg.signal.aborted ? "foreign await done, signal aborted" : "foreign await done");
      try {
        await sleep(1000);
      } catch (e) {
        log.log(isCancelledError(e) ? "cancelled at the next await" : "other");
        throw e;
      }
    });
    expect(names(await groupError(group))).toEqual(["ZeroDivision"]);
    expect(log.stamped()).toEqual(["foreign await done, signal aborted@50", "cancelled at the next await@50"]);
  });
});

// asyncio's behaviour: docs/asyncio-semantics.md#taskgroup
describe("taskGroup: cancellation from outside", () => {
  it.each(["in the body", "at the exit"])(
    "cancels and awaits every task and stays a CancelledError (%s)",
    async (where) => {
      let cancelled = 0;
      const foo = async () => {
        try {
          await sleep(5000);
        } catch (e) {
          cancelled++;
          throw e;
        }
      };
      const group = taskGroup(async (tg) => {
        for (let i = 0; i < 5; i++) tg.createTask(foo);
        if (where === "in the body") await foo();
      });
      await sleep(100);
      group.cancel();
      await expectCancelled(group);
      expect(cancelled).toBe(where === "in the body" ? 6 : 5);
      expect(now()).toBe(100);
    },
  );

  it("cancelling the caller cancels the group, which ends only after its tasks", async () => {
    const log = timeline();
    const caller = createTask(async () => {
      await taskGroup(async (tg) => {
        tg.createTask(async () => {
          try {
            await sleep(5000);
          } catch (e) {
            await sleep(30);
            log.log("child cleaned up");
            throw e;
          }
        });
        await sleep(10_000);
      });
      log.log("after the group");
    });
    await sleep(100);
    caller.cancel();
    await expectCancelled(caller);
    expect(log.stamped()).toEqual(["child cleaned up@130"]);
    expect(caller.cancelling()).toBe(1);
  });

  it("stays a CancelledError when the tasks swallow the cancellation", async () => {
    const group = taskGroup(function* (tg) {
      for (let i = 0; i < 3; i++) {
        tg.createTask(function* () {
          try {
            yield* sleep(5000);
          } catch {}
          return "swallowed";
        });
      }
      yield* sleep(10_000);
    });
    await sleep(10);
    group.cancel("stop");
    const error = await expectCancelled(group);
    expect(error.message).toBe("stop");
  });

  it("rejects with the tasks' errors rather than the cancellation", async () => {
    const group = taskGroup(async (tg) => {
      for (let i = 0; i < 2; i++) {
        tg.createTask(async () => {
          try {
            await sleep(5000);
          } finally {
            // biome-ignore lint/correctness/noUnsafeFinally: a task that fails in its cleanup
            throw new ZeroDivision();
          }
        });
      }
      await sleep(10_000);
    });
    await sleep(10);
    group.cancel();
    expect(names(await groupError(group))).toEqual(["ZeroDivision", "ZeroDivision"]);
  });

  it("collects the body's own error when it turns the cancellation into one", async () => {
    const group = taskGroup(async (tg) => {
      tg.createTask(() => sleep(5000));
      try {
        await sleep(10_000);
      } catch {
        throw new MyError();
      }
    });
    await sleep(10);
    group.cancel();
    expect(names(await groupError(group))).toEqual(["MyError"]);
  });

  it("reports a task crash that happens while the body is still handling the cancellation", async () => {
    const group = taskGroup(async (tg) => {
      tg.createTask(() => failAfter(300));
      try {
        await sleep(10_000);
      } catch (e) {
        await sleep(500);
        throw e;
      }
    });
    await sleep(100);
    group.cancel();
    expect(names(await groupError(group))).toEqual(["ZeroDivision"]);
  });

  it("keeps a cancellation from outside when it rejects with a task's error", async () => {
    const gate = new Future<void>();
    const group = taskGroup(async (tg) => {
      tg.createTask(failWhen(gate, new RangeError("child")));
      await sleep(1000);
    });
    await settle();
    gate.setResult();
    group.cancel(); // from outside, in the same loop iteration as the child's failure
    const eg = await groupError(group);
    expect(names(eg)).toEqual(["RangeError"]);
    // The group's own request was taken back; the one from outside still counts.
    expect(group.cancelling()).toBe(1);
    expect(group.cancelled()).toBe(false);
  });

  it.each(["generator", "async"] as const)(
    "%s caller: gets a cancellation it passed to the group back when the group rejects, at its next await",
    async (form) => {
      const gate = new Future<void>();
      const log = timeline();
      const body = async (tg: TaskGroup) => {
        tg.createTask(failWhen(gate, new RangeError("child")));
        await sleep(1000);
      };
      const caller =
        form === "generator"
          ? createTask(function* () {
              try {
                yield* taskGroup(body);
              } catch (e) {
                log.log(`caught ${(e as Error).name}, cancelling ${currentTask()!.cancelling()}`);
              }
              yield* sleep(100);
              log.log("ran on");
            })
          : createTask(async () => {
              try {
                await taskGroup(body);
              } catch (e) {
                log.log(`caught ${(e as Error).name}, cancelling ${currentTask()!.cancelling()}`);
              }
              await sleep(100);
              log.log("ran on");
            });
      await settle();
      gate.setResult();
      caller.cancel(); // in the same loop iteration as the child's failure
      await expectCancelled(caller);
      expect(log.stamped()).toEqual(["caught ExceptionGroup, cancelling 1@0"]);
    },
  );
});

// asyncio's behaviour: docs/asyncio-semantics.md#taskgroup
describe("taskGroup: nesting", () => {
  it("nests an inner group's ExceptionGroup in the outer one", async () => {
    const foo = async () => {
      try {
        await sleep(10_000);
      } finally {
        // biome-ignore lint/correctness/noUnsafeFinally: every task fails in its cleanup
        throw new ZeroDivision();
      }
    };
    const group = taskGroup(async () => {
      await taskGroup(async (inner) => {
        for (let i = 0; i < 5; i++) inner.createTask(foo);
        await sleep(10_000);
      });
    });
    await sleep(100);
    group.cancel();
    const eg = await groupError(group);
    expect(eg.exceptions).toHaveLength(1);
    const nested = eg.exceptions[0] as ExceptionGroup;
    expect(nested).toBeInstanceOf(ExceptionGroup);
    expect(names(nested)).toEqual(Array(5).fill("ZeroDivision"));
  });

  it("nests a fast crash in an inner group inside a slow outer one", async () => {
    const group = taskGroup(async (outer) => {
      outer.createTask(() => failAfter(1000, new RangeError("slow")));
      await taskGroup(async (inner) => {
        inner.createTask(() => failAfter(100, new MyError("fast")));
        await sleep(10_000);
      });
    });
    const eg = await groupError(group);
    expect(eg.exceptions).toHaveLength(1);
    expect(names(eg.exceptions[0] as ExceptionGroup)).toEqual(["MyError"]);
  });

  it("passes the outer cancellation through an inner group as a CancelledError", async () => {
    let innerChildCancelled = false;
    const group = taskGroup(async (outer) => {
      outer.createTask(() => failAfter(100, new RangeError("outer child")));
      await taskGroup(async (inner) => {
        inner.createTask(async () => {
          try {
            await sleep(10_000);
          } catch (e) {
            innerChildCancelled = isCancelledError(e);
            throw e;
          }
        });
        await sleep(10_000);
      });
    });
    const eg = await groupError(group);
    expect(names(eg)).toEqual(["RangeError"]);
    expect(innerChildCancelled).toBe(true);
  });

  it("restores the counters when inner and outer tasks fail in the same iteration", async () => {
    let innerGroup!: Task<void>;
    let caught: unknown;
    const gate = new Future<void>();
    const group = taskGroup(async (outer) => {
      innerGroup = taskGroup(async (inner) => {
        inner.createTask(failWhen(gate, new MyError("inner")));
        outer.createTask(failWhen(gate, new RangeError("outer")));
        await sleep(10_000);
      });
      try {
        await innerGroup;
      } catch (e) {
        caught = e;
      }
    });
    await settle();
    gate.setResult(); // the inner and the outer task fail in the same loop iteration
    const eg = await groupError(group);
    expect(names(eg)).toEqual(["RangeError"]);
    expect(names(caught as ExceptionGroup)).toEqual(["MyError"]);
    expect(group.cancelling()).toBe(0);
    expect(innerGroup.cancelling()).toBe(1); // the outer group's request, passed on by awaiting it
  });

  it.each(["generator", "async"] as const)(
    "%s body: after catching the inner group's ExceptionGroup, is cancelled at its next await (both failed in one iteration)",
    async (form) => {
      const gate = new Future<void>();
      const log = timeline();
      const inner = (tg: TaskGroup) => {
        tg.createTask(failWhen(gate, new MyError("inner")));
        return sleep(10_000);
      };
      const group =
        form === "generator"
          ? taskGroup(function* (outer) {
              outer.createTask(failWhen(gate, new RangeError("outer")));
              try {
                yield* taskGroup(inner);
              } catch (e) {
                log.log(`caught ${names(e as ExceptionGroup)}, cancelling ${currentTask()!.cancelling()}`);
              }
              yield* sleep(300);
              log.log("ran on");
            })
          : taskGroup(async (outer) => {
              outer.createTask(failWhen(gate, new RangeError("outer")));
              try {
                await taskGroup(inner);
              } catch (e) {
                log.log(`caught ${names(e as ExceptionGroup)}, cancelling ${currentTask()!.cancelling()}`);
              }
              await sleep(300);
              log.log("ran on");
            });
      await settle();
      gate.setResult();
      expect(names(await groupError(group))).toEqual(["RangeError"]);
      expect(log.stamped()).toEqual(["caught MyError, cancelling 1@0"]);
      expect(group.cancelling()).toBe(0);
    },
  );

  it("keeps spawning 'hydra' tasks until a sibling crashes", async () => {
    let spawned = 0;
    const group = taskGroup(async (tg) => {
      const hydra = async (): Promise<void> => {
        await sleep(10);
        spawned++;
        tg.createTask(hydra);
        tg.createTask(hydra);
      };
      tg.createTask(hydra);
      tg.createTask(() => failAfter(35));
    });
    expect(names(await groupError(group))).toEqual(["ZeroDivision"]);
    expect(spawned).toBe(1 + 2 + 4);
  });
});

describe("TaskGroup.cancel()", () => {
  it("stops the body and the tasks, and the group ends normally", async () => {
    let child!: Task<void>;
    const log = timeline();
    const group = taskGroup(async (tg) => {
      child = tg.createTask(() => sleep(5000));
      tg.createTask(async () => {
        await sleep(10);
        tg.cancel();
        tg.cancel(); // idempotent
      });
      try {
        await sleep(10_000);
      } catch (e) {
        log.log("body cancelled");
        throw e;
      }
      return "unreachable";
    });
    expect(await group).toBeUndefined();
    expect(log.stamped()).toEqual(["body cancelled@10"]);
    expect(child.cancelled()).toBe(true);
    expect(group.cancelling()).toBe(0);
    expect(group.signal.aborted).toBe(true);
  });

  it("keeps the body's value if the body catches the cancellation and returns", async () => {
    const group = taskGroup(function* (tg) {
      tg.createTask(delayed(5000, 1));
      tg.cancel();
      try {
        yield* sleep(10_000);
      } catch {
        return "stopped cleanly";
      }
      return "unreachable";
    });
    expect(await group).toBe("stopped cleanly");
  });

  it("stops the tasks while the group waits at the exit, and is a no-op once finished", async () => {
    let saved!: TaskGroup;
    let child!: Task<void>;
    const group = taskGroup(async (tg) => {
      saved = tg;
      child = tg.createTask(() => sleep(5000));
      return 7;
    });
    await sleep(100);
    saved.cancel();
    expect(await group).toBe(7);
    expect(child.cancelled()).toBe(true);
    expect(now()).toBe(100);
    saved.cancel();
    expect(String(saved)).toBe("<TaskGroup cancelling>");
  });

  it.each(["generator", "async"] as const)(
    "%s caller: a cancellation from outside while it waits for its tasks still ends it cancelled",
    async (form) => {
      const group = taskGroup(async (tg) => {
        tg.createTask(async () => {
          try {
            await sleep(1000);
          } catch {
            await sleep(50); // a slow cleanup keeps the group waiting at its exit
          }
        });
        tg.createTask(async () => {
          await sleep(5);
          tg.cancel();
        });
        return "body's value";
      });
      const caller =
        form === "generator"
          ? createTask(function* () {
              return yield* group;
            })
          : createTask(() => group);
      await sleep(20);
      caller.cancel("from outside");
      await expectCancelled(caller);
      await expectCancelled(group);
      expect(now()).toBe(55);
    },
  );

  it("leaves a failure reported after it as an ExceptionGroup", async () => {
    const group = taskGroup(async (tg) => {
      tg.createTask(async () => {
        try {
          await sleep(5000);
        } finally {
          await sleep(10);
          // biome-ignore lint/correctness/noUnsafeFinally: a task that fails while stopping
          throw new MyError();
        }
      });
      await sleep(10);
      tg.cancel();
    });
    expect(names(await groupError(group))).toEqual(["MyError"]);
  });

  it("aborts tg.signal for foreign work", async () => {
    let reason: unknown;
    const group = taskGroup(async (tg) => {
      tg.signal.addEventListener("abort", () => {
        reason = tg.signal.reason;
      });
      tg.createTask(() => failAfter(10));
      await new Future<void>();
    });
    await groupError(group);
    expect(isCancelledError(reason)).toBe(true);
  });
});

describe("taskGroup: describes itself", () => {
  it("prints asyncio's repr, with String() and console.log() alike", async () => {
    let during = "";
    await groupError(
      taskGroup(async (tg) => {
        tg.createTask(() => sleep(100));
        during = String(tg);
        expect(inspect(tg)).toBe(during);
        tg.createTask(() => failAfter(10));
        await settle().catch(() => undefined);
        await sleep(1000);
      }),
    );
    expect(during).toBe("<TaskGroup tasks=1 entered>");
  });
});

describe("introspection", () => {
  it("tasks know their group; the group lists its unfinished tasks", async () => {
    let seen: unknown[] = [];
    await taskGroup(async (tg) => {
      const a = tg.createTask(() => sleep(10));
      const b = tg.createTask(() => sleep(20));
      expect(taskGroupOf(a)).toBe(tg);
      expect(taskGroupOf(b)).toBe(tg);
      seen = tg.tasks();
      await a;
      expect(tg.tasks()).toEqual([b]);
    });
    expect(seen).toHaveLength(2);
    expect(taskGroupOf(createTask(() => 1))).toBeUndefined();
  });

  it.each([undefined, null, {}])("taskGroupOf(%s) is a TypeError that says a Task is expected", (bad) => {
    expect(() => taskGroupOf(bad as never)).toThrow(TypeError);
    expect(() => taskGroupOf(bad as never)).toThrow(/taskGroupOf\(task\): task must be a Task, got/);
  });

  it("a long-lived group lists, counts and waits for only the tasks still running, in creation order", async () => {
    await taskGroup(function* (tg) {
      const first = tg.createTask(() => sleep(50));
      for (let round = 0; round < 5; round++) {
        for (let i = 0; i < 100; i++) tg.createTask(() => sleep(1));
        yield* sleep(5);
      }
      const last = tg.createTask(() => sleep(50));
      expect(tg.tasks()).toEqual([first, last]);
      expect(inspect(tg)).toBe("<TaskGroup tasks=2 entered>");
    });
  });
});
