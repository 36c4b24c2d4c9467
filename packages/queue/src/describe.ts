/** A short description of a value for error messages: `42 (number)`, `a Job`, `null`. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "function") return `a function ${value.name || "(anonymous)"}`;
  if (typeof value === "object") {
    if (Array.isArray(value)) return `an array of ${value.length}`;
    const name = (value as object).constructor?.name;
    return name ? `${/^[aeiou]/i.test(name) ? "an" : "a"} ${name}` : "an object";
  }
  if (typeof value === "string")
    return `${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)} (string)`;
  if (typeof value === "bigint") return `${value}n (bigint)`;
  return `${String(value)} (${typeof value})`;
}

/** A value as the queue prints it (Python's repr of the items): `1`, `"a"`, `2n`, `[1, "x"]`, `a Job`. */
export function short(value: unknown, depth = 0): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case "bigint":
      return `${value}n`;
    case "object":
      if (Array.isArray(value) && depth < 2) {
        const shown = value.slice(0, 5).map((v) => short(v, depth + 1));
        if (value.length > 5) shown.push("…");
        return `[${shown.join(", ")}]`;
      }
      return describe(value);
    case "function":
      return describe(value);
    default:
      return String(value);
  }
}
