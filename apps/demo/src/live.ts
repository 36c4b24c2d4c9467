import { clearScreenDown, cursorTo, moveCursor } from "node:readline";
import { type Future, sleep } from "taskio";
import { renderTimeline } from "./render-timeline.js";
import type { Scenario } from "./scenario.js";
import { recordTasks, type TimelineModel, type Trace } from "./timeline.js";

/** The live picture of one running scenario, redrawn in place below the lines it prints. */
export interface LiveTimeline {
  /** Prints a line of the scenario's story above the picture. */
  line(text: string): void;
  /** Draws the final picture, leaves it in the scrollback, stops watching and returns the timeline. */
  finish(): TimelineModel;
  /** For the scenario: what its tasks wait for, its inline steps, its shielded tasks. */
  readonly trace: Trace;
}

/** Where and how to draw. */
export interface LiveOptions {
  /** A terminal (default process.stdout). */
  stream?: NodeJS.WriteStream;
  /** The pace of the run, to scale the scenario's expected length (default 1). */
  scale?: number;
  color?: boolean;
  /** Draw it (default true); false only records the timeline, for `--html`. */
  draw?: boolean;
}

/** The narrowest terminal the picture fits in (its lines never wrap, so redrawing stays exact). */
export const MIN_COLUMNS = 80;

/** Milliseconds between looks for new tasks (on taskio's clock), and between redraws. */
const SAMPLE_MS = 1;
const FRAME_MS = 80;

/**
 * Starts drawing `scenario`'s tasks as a timeline that grows while it runs (terminals only: the
 * text output is plain when stdout is not one). It looks for new tasks every millisecond of
 * taskio's clock (a chain of `sleep()` futures: no task of its own, and on a virtual clock it
 * samples in virtual time); the redraw timer is Node's own and unref'd. Redrawing moves the cursor up
 * over the last picture with node:readline; log-update did the same at ~20 ms a frame (it re-wraps
 * every bar character), enough to skew the scenarios' timing checks.
 */
export function liveTimeline(scenario: Scenario, options: LiveOptions = {}): LiveTimeline {
  const stream = options.stream ?? process.stdout;
  let drawn = 0;
  const erase = () => {
    if (drawn === 0) return;
    moveCursor(stream, 0, -drawn);
    cursorTo(stream, 0);
    clearScreenDown(stream);
    drawn = 0;
  };
  const drawing = options.draw ?? true;
  const draw = (lines: string[]) => {
    if (!drawing) return;
    erase();
    stream.write(`${lines.join("\n")}\n`);
    drawn = lines.length;
  };
  const scale = options.scale ?? 1;
  const recorder = recordTasks(scenario.name, {
    ignore: [scenario.name],
    ...(scenario.limit === undefined ? {} : { limit: scenario.limit }),
    ...(scenario.expectedMs === undefined ? {} : { expectedMs: scenario.expectedMs * scale }),
  });
  const frame = () => {
    // Room for the indent, a 24-column name, the borders and "✓ cancelled 1.5 s"; a longer mark
    // ("⋯ waiting for a book on the cart") is cut, so no line ever wraps and redrawing stays exact.
    const columns = stream.columns ?? MIN_COLUMNS;
    const width = Math.max(16, Math.min(60, columns - 52));
    return renderTimeline(recorder.model(), { width, color: options.color ?? false }).map((line) =>
      cutToWidth(`  ${line}`, columns - 1),
    );
  };
  let sampler: Future<undefined> | undefined;
  const tick = () => {
    recorder.sample();
    sampler = sleep(SAMPLE_MS);
    sampler.addDoneCallback((slept) => {
      if (!slept.cancelled()) tick();
    });
  };
  tick();
  const redraw = drawing ? setInterval(() => draw(frame()), FRAME_MS).unref() : undefined;
  return {
    trace: recorder,
    line(text) {
      recorder.sample();
      if (drawing) erase();
      stream.write(`${text}\n`);
      draw(frame());
    },
    finish() {
      sampler?.cancel();
      clearInterval(redraw);
      recorder.sample();
      draw(frame());
      // Left in the scrollback: the next lines go below it.
      drawn = 0;
      return recorder.model();
    },
  };
}

/** Cuts `line` to `columns` visible characters (ending in "…"), keeping its colour escapes. */
export function cutToWidth(line: string, columns: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: colour escapes start with ESC.
  const parts = line.split(/(\x1b\[[0-9;]*m)/);
  let left = columns;
  let out = "";
  for (const part of parts) {
    if (part.startsWith("\x1b[")) out += part;
    else if (left > 0) {
      const chars = [...part];
      if (chars.length <= left) out += part;
      else out += `${chars.slice(0, left - 1).join("")}…`;
      left -= Math.min(left, chars.length);
    }
  }
  return out;
}
