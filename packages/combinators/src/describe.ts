/** A short description of a value for error messages: `42 (number)`, `a Promise`, `null`. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "function") return `a function ${value.name || "(anonymous)"}`;
  if (typeof value === "object") {
    const name = (value as object).constructor?.name;
    return name ? `a ${name}` : "an object";
  }
  if (typeof value === "string")
    return `${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)} (string)`;
  return `${String(value)} (${typeof value})`;
}
