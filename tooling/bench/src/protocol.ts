/** The orchestrator's orders to a timing child, over the IPC channel. */
export type Order = { type: "round" } | { type: "finish" };

/** One implementation's figures in one round. */
export interface Sample {
  scenario: string;
  impl: string;
  /** ops/s by the CPU clock. */
  cpu: number;
  /** ops/s by the wall clock. */
  wall: number;
  /** Heap bytes per operation, for scenarios that report them. */
  bytes?: number;
}

/** What a child sends back over the IPC channel. */
export type Message =
  /** A timing child built and verified every implementation of its family and context. */
  | { type: "ready" }
  /** One round's ops/s per scenario and implementation, by the CPU and the wall clock. */
  | { type: "round"; samples: Sample[] }
  /** A timing child's last word. */
  | {
      type: "finished";
      node: string;
      /** A "plain" process found AsyncLocalStorage switched on: its rows are not clean. */
      asyncContextLeaked: boolean;
    }
  /** A peak-RSS child's report: process.resourceUsage().maxRSS, in KiB. */
  | { type: "rss"; maxRssKiB: number };
