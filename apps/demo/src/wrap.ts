import { stripVTControlCharacters } from "node:util";

/**
 * Fits `text` (lines, possibly coloured) into `width` columns by breaking at spaces, never inside a
 * word: a continuation line keeps the line's indent plus two columns. A word wider than the line
 * (a URL) stays whole on its own line.
 * @example
 * wrapText("  ✓ a long check — with its details", 20); // "  ✓ a long check —\n    with its details"
 */
export function wrapText(text: string, width: number): string {
  return text
    .split("\n")
    .map((line) => wrapLine(line, width))
    .join("\n");
}

function wrapLine(line: string, width: number): string {
  if (visible(line) <= width) return line;
  const indent = /^ */.exec(stripVTControlCharacters(line))?.[0] ?? "";
  const hanging = `${indent}  `;
  // A number stays on the line of its unit: "300 ms", not "300" then "ms".
  const words = line
    .slice(indent.length)
    .split(" ")
    .reduce<string[]>((kept, word) => {
      const last = kept.at(-1);
      if (last !== undefined && /\d$/.test(last) && /^(ms|s)\b/.test(word)) kept[kept.length - 1] = `${last} ${word}`;
      else kept.push(word);
      return kept;
    }, []);
  const lines: string[] = [];
  let current = indent;
  let empty = true;
  for (const word of words) {
    if (!empty && visible(current) + 1 + visible(word) > width) {
      lines.push(current);
      current = hanging;
      empty = true;
    }
    current += empty ? word : ` ${word}`;
    empty = false;
  }
  lines.push(current);
  return lines.join("\n");
}

function visible(text: string): number {
  return [...stripVTControlCharacters(text)].length;
}
