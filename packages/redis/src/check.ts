import { describeValue } from "@taskio/core/internal";

/** A name for Redis keys: a non-empty string. */
export function checkName(name: unknown, where: string): string {
  if (typeof name !== "string") throw new TypeError(`${where}: name must be a string, got ${describeValue(name)}`);
  if (name.length === 0) throw new RangeError(`${where}: name must not be empty`);
  return name;
}

/** An integer >= `min`. */
export function checkInteger(value: unknown, what: string, min: number): number {
  if (typeof value !== "number") throw new TypeError(`${what} must be a number, got ${describeValue(value)}`);
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${what} must be an integer >= ${min}, got ${value}`);
  }
  return value;
}

/** Options objects: undefined or a plain object. */
export function checkOptions<T extends object>(options: unknown, where: string, example: string): T | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${where}: options must be an object like ${example}, got ${describeValue(options)}`);
  }
  return options as T;
}
