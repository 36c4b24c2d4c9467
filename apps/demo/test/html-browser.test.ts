import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installVirtualClock } from "@taskio/testkit";
import { browse } from "@taskio/testkit/chromium";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type HtmlEntry, renderHtml } from "../src/html.js";
import { inProcessLibrary } from "../src/in-process.js";
import { liveTimeline } from "../src/live.js";
import { scenarios } from "../src/scenarios/index.js";
import { runScenario } from "../src/tour.js";

// Marks every label, state and tick whose text takes more than one line, for --dump-dom to read.
// Added to a copy of the page only: the page itself has no script.
const WRAP_PROBE = `<script>
addEventListener("load", () => {
  const wrapped = [...document.querySelectorAll(".name, .state, .tick")].filter((el) => {
    const line = parseFloat(getComputedStyle(el).lineHeight) || 16;
    const range = document.createRange();
    range.selectNodeContents(el);
    // Lines of text, not boxes: a label cut with an ellipsis or holding a tag is still one line.
    const tops = [...range.getClientRects()].map((rect) => rect.top).sort((a, b) => a - b);
    const lines = tops.filter((top, i) => i === 0 || top - tops[i - 1] > line / 2).length;
    return lines > 1 || range.getBoundingClientRect().height > line * 1.5;
  });
  document.body.dataset.wrapped = wrapped.map((el) => el.textContent).join(" | ") || "none";
});
</script>`;

let scratch: string;
let page: string;

beforeAll(async () => {
  // The whole tour on the virtual clock, recorded as --html records it.
  const clock = installVirtualClock();
  const library = inProcessLibrary();
  vi.stubGlobal("fetch", library.fetch);
  const entries: HtmlEntry[] = [];
  try {
    for (const scenario of scenarios) {
      const picture = liveTimeline(scenario, { draw: false });
      const result = await runScenario(scenario, library, { slack: 0, trace: () => picture.trace });
      entries.push({ result, timeline: picture.finish(), story: scenario.story, code: scenario.code });
    }
  } finally {
    vi.unstubAllGlobals();
    clock.uninstall(); // the browser runs on the real clock
  }
  scratch = await mkdtemp(join(tmpdir(), "taskio-demo-html-"));
  page = join(scratch, "tour.html");
  const html = renderHtml(entries);
  await writeFile(page, html);
  await writeFile(join(scratch, "probe.html"), html.replace("</body>", `${WRAP_PROBE}</body>`));
}, 120_000);

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("the --html page in a headless browser", () => {
  it("renders to pixels: a screenshot of the tour", async () => {
    const shot = join(scratch, "tour.png");
    const run = await browse(page, [`--screenshot=${shot}`], {
      profile: join(scratch, "shot"),
      width: 1280,
      height: 2400,
    });
    expect(run.code).toBe(0);
    // A blank page compresses to a few kilobytes; bars, labels and text do not.
    expect((await stat(shot)).size).toBeGreaterThan(50_000);
  }, 150_000);

  it.each([
    ["a desktop window", 1280],
    ["a phone", 420],
  ])(
    "wraps no label, state or tick on %s (%i px wide)",
    async (_, width) => {
      const run = await browse(join(scratch, "probe.html"), ["--dump-dom", "--virtual-time-budget=2000"], {
        profile: join(scratch, `probe-${width}`),
        width,
        height: 900,
      });
      expect(run.code).toBe(0);
      expect(/data-wrapped="([^"]*)"/.exec(run.output)?.[1]).toBe("none");
    },
    150_000,
  );
});
