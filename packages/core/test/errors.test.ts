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

describe("ExceptionGroup's arguments", () => {
  it.each([
    [42, /message must be a string, got 42 \(number\)/],
    [undefined, /message must be a string, got undefined/],
    [new Error("m"), /message must be a string, got an Error/],
  ])("refuses a message that is not a string (%s) with a TypeError naming it", (message, expected) => {
    expect(() => new ExceptionGroup(message as never, [new Error("e")])).toThrow(TypeError);
    expect(() => new ExceptionGroup(message as never, [new Error("e")])).toThrow(expected);
  });

  it.each([
    [null, /exceptions must be an array of errors, got null/],
    [new Error("e"), /exceptions must be an array of errors, got an Error/],
    ["abc", /exceptions must be an array of errors, got "abc" \(string\)/],
  ])("refuses exceptions that are not a list (%s) with a TypeError naming it", (exceptions, expected) => {
    expect(() => new ExceptionGroup("m", exceptions as never)).toThrow(TypeError);
    expect(() => new ExceptionGroup("m", exceptions as never)).toThrow(expected);
  });
});

describe("how an ExceptionGroup prints", () => {
  const inner = new ExceptionGroup("inner", [new RangeError("b")]);
  const group = new ExceptionGroup("two failed", [new TypeError("a"), inner]);

  it("counts its errors after the message, as Python's str() does", () => {
    expect(String(group)).toBe("ExceptionGroup: two failed (2 sub-exceptions)");
    expect(String(inner)).toBe("ExceptionGroup: inner (1 sub-exception)");
    expect(group.message).toBe("two failed");
  });

  it("lists each error once, in a numbered tree with nested groups indented", async () => {
    const { inspect } = await import("node:util");
    const text = inspect(group);
    const lines = text.split("\n").filter((line) => !/^[\s|]*at /.test(line));
    expect(lines).toEqual([
      "ExceptionGroup: two failed (2 sub-exceptions)",
      "  +-+---------------- 1 ----------------",
      "    | TypeError: a",
      "    +---------------- 2 ----------------",
      "    | ExceptionGroup: inner (1 sub-exception)",
      "    |   +-+---------------- 1 ----------------",
      "    |     | RangeError: b",
      "    |     +-----------------------------------",
      "    +-----------------------------------",
    ]);
    expect(text.match(/TypeError: a/g)).toHaveLength(1);
  });

  it("keeps `exceptions` out of the printed properties: an uncaught group shows `errors` once", async () => {
    const { inspect } = await import("node:util");
    const plain = inspect(group, { customInspect: false });
    expect(plain.match(/TypeError: a/g)).toHaveLength(1);
    expect(Object.keys(group)).not.toContain("exceptions");
  });

  it("has the count in its stack's header, where an uncaught group starts", () => {
    expect(group.stack?.split("\n")[0]).toBe("ExceptionGroup: two failed (2 sub-exceptions)");
  });

  it("prints each error once, and the counts, when a group goes uncaught", async () => {
    const { execFile } = await import("node:child_process");
    const script = new URL("./fixtures/uncaught-group.mjs", import.meta.url);
    const stderr = await new Promise<string>((resolve) =>
      execFile(process.execPath, [script.pathname], { timeout: 30_000 }, (_error, _stdout, err) => resolve(err)),
    );
    expect(stderr).toContain("ExceptionGroup: two failed (2 sub-exceptions)");
    expect(stderr).toContain("ExceptionGroup: inner (1 sub-exception)");
    expect(stderr.match(/TypeError: first/g)).toHaveLength(1);
    expect(stderr.match(/RangeError: second/g)).toHaveLength(1);
  });
});
