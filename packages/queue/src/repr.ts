import { describeValue } from "@taskio/core/internal";
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
      return describeValue(value);
    case "function":
      return describeValue(value);
    default:
      return String(value);
  }
}
