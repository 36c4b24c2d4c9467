import { gather, sleep, taskGroup } from "taskio";
import { checklist, formatMs, type Scenario, stopwatch } from "../scenario.js";

const files = [
  { name: "catalog.json", bytes: 48_000, chunks: 8, latency: 800 },
  { name: "covers.zip", bytes: 240_000, chunks: 12, latency: 1_000 },
  { name: "loans.csv", bytes: 16_000, chunks: 4, latency: 400 },
  { name: "reading.mp3", bytes: 400_000, chunks: 10, latency: 600 },
];

interface Progress {
  received: number;
  total: number;
}

/** Several downloads report their progress into one shared record; a reporter task prints it until they are done. */
export const progressScenario: Scenario = {
  name: "progress",
  title: "progress tracking across concurrent downloads",
  story:
    "Four downloads stream in chunks and update one shared progress record. A reporter task in the same TaskGroup prints it every 200 ms; when the downloads finish, the reporter is cancelled (its row ends cancelled) and the group closes.",
  code: `await taskGroup(async (tg) => {
  const reporter = tg.createTask(async () => { for (;;) { print(progress); await sleep(200); } });
  await gather(files.map((file) => tg.createTask((signal) => download(file, signal))));
  reporter.cancel();
});`,
  expectedMs: 1_000,
  async run({ server, ms, log }) {
    const check = checklist();
    const progress = new Map<string, Progress>(files.map((file) => [file.name, { received: 0, total: file.bytes }]));
    const snapshots: number[][] = [];
    const percent = (p: Progress) => Math.floor((100 * p.received) / p.total);

    const report = (elapsed: number) => {
      const each = [...progress.values()];
      const total = each.reduce((sum, p) => sum + p.received, 0) / each.reduce((sum, p) => sum + p.total, 0);
      snapshots.push(each.map(percent));
      const bar = "█".repeat(Math.round(total * 16)).padEnd(16, "░");
      const parts = [...progress].map(([name, p]) => `${name.split(".")[0]} ${percent(p)}%`).join(" · ");
      log(`  ${formatMs(elapsed).padStart(8)} ${bar} ${String(Math.floor(total * 100)).padStart(3)}%   ${parts}`);
    };

    log(`Four downloads stream in chunks; a reporter task prints the shared progress every 200 ms.`);
    const elapsed = stopwatch();
    await taskGroup(async (tg) => {
      const reporter = tg.createTask(
        async () => {
          for (;;) {
            await sleep(ms(200));
            report(elapsed());
          }
        },
        { name: "progress reporter" },
      );
      const downloads = files.map((file) =>
        tg.createTask(
          async (signal) => {
            const { bytes, chunks, latency } = file;
            const response = await fetch(server.url(`/files/${file.name}`, { bytes, chunks, latency: ms(latency) }), {
              signal,
            });
            const entry = progress.get(file.name) as Progress;
            entry.total = Number(response.headers.get("content-length"));
            for await (const chunk of response.body as ReadableStream<Uint8Array>) entry.received += chunk.byteLength;
            return entry.received;
          },
          { name: file.name },
        ),
      );
      await gather(downloads);
      // The reporter loops forever: stop it, and the group ends as soon as it has unwound.
      reporter.cancel();
    });
    report(elapsed());

    const final = [...progress.values()];
    const partial = snapshots.filter((snapshot) => snapshot.some((p) => p > 0 && p < 100));
    const monotonic = snapshots.every(
      (snapshot, i) => i === 0 || snapshot.every((p, j) => p >= (snapshots[i - 1]?.[j] ?? 0)),
    );
    check(
      "every download received all its bytes",
      final.every((p, i) => p.received === p.total && p.total === files[i]?.bytes),
      final.map((p) => `${p.received}/${p.total}`).join(", "),
    );
    check("the reporter saw the downloads part-way", partial.length >= 1, `${partial.length} partial snapshots`);
    check("progress never went backwards", monotonic, `${snapshots.length} snapshots`);
    check(
      "the last snapshot says 100%",
      snapshots.at(-1)?.every((p) => p === 100) === true,
      `${snapshots.at(-1)?.join("% ")}%`,
    );
    return check.results;
  },
};
