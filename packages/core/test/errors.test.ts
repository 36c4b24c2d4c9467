import { describe, expect, it } from "vitest";
import { CancelledError, ExceptionGroup, InvalidStateError, isCancelledError, TimeoutError } from "../src/index.js";

class MyError extends Error {}

describe("error classes", () => {
  it("have their names and messages", () => {
    expect(new CancelledError("m")).toMatchObject({ name: "CancelledError", message: "m" });
    expect(new CancelledError().message).toBe("");
    expect(new TimeoutError("t").name).toBe("TimeoutError");
    expect(new InvalidStateError("i").name).toBe("InvalidStateError");
    expect(isCancelledError(new CancelledError())).toBe(true);
    expect(isCancelledError(new Error())).toBe(false);
  });

  it("match by brand, so another copy's errors pass instanceof", () => {
    const foreign = Object.create(Error.prototype, { [Symbol.for("taskio.CancelledError")]: { value: true } });
    expect(foreign instanceof CancelledError).toBe(true);
    expect(new TimeoutError() instanceof CancelledError).toBe(false);
    class Sub extends CancelledError {}
    expect(new Sub() instanceof Sub).toBe(true);
    expect(new CancelledError() instanceof Sub).toBe(false);
    expect(new Sub() instanceof CancelledError).toBe(true);
  });
});

describe("ExceptionGroup", () => {
  const a = new TypeError("a");
  const b = new MyError("b");
  const c = new RangeError("c");
  const nested = new ExceptionGroup("inner", [b, c]);
  const group = new ExceptionGroup("outer", [a, nested]);

  it("is an AggregateError whose exceptions are its errors", () => {
    expect(group).toBeInstanceOf(AggregateError);
    expect(group.exceptions).toEqual([a, nested]);
    expect(group.errors).toEqual([a, nested]);
    expect(group.name).toBe("ExceptionGroup");
    expect(() => new ExceptionGroup("empty", [])).toThrow(RangeError);
  });

  it("subgroup keeps the nested structure", () => {
    const sub = group.subgroup(MyError)!;
    expect(sub.message).toBe("outer");
    expect(sub.exceptions).toHaveLength(1);
    const inner = sub.exceptions[0] as ExceptionGroup;
    expect(inner).toBeInstanceOf(ExceptionGroup);
    expect(inner.exceptions).toEqual([b]);
    expect(group.subgroup(InvalidStateError)).toBeUndefined();
  });

  it("split by class or predicate", () => {
    const [match, rest] = group.split((e) => e instanceof RangeError || e instanceof TypeError);
    expect(match!.exceptions[0]).toBe(a);
    expect((match!.exceptions[1] as ExceptionGroup).exceptions).toEqual([c]);
    expect((rest!.exceptions[0] as ExceptionGroup).exceptions).toEqual([b]);
    const [all, none] = group.split(Error);
    expect(all).toBe(group);
    expect(none).toBeUndefined();
  });

  it("rejects a bad matcher", () => {
    expect(() => group.subgroup(42 as never)).toThrow(TypeError);
  });
});
