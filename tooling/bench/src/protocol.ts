/** The orchestrator's orders to a timing child, over the IPC channel. */
export type Order = { type: "round"; round: number } | { type: "finish" };

/** What a child sends back over the IPC channel. */
export type Message =
  /** A timing child built and verified every implementation of its family and context. */
  | { type: "ready" }
  /** One round's ops/s per scenario and implementation, by the CPU and the wall clock. */
  | { type: "round"; samples: { scenario: string; impl: string; cpu: number; wall: number }[] }
  /** A timing child's last word. */
  | {
      type: "finished";
      node: string;
      /** A "plain" process found AsyncLocalStorage switched on: its rows are not clean. */
      asyncContextLeaked: boolean;
    }
  /** A peak-RSS child's report: process.resourceUsage().maxRSS, in KiB. */
  | { type: "rss"; maxRssKiB: number };
