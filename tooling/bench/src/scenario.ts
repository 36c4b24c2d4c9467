/**
 * What a scenario is. Scenario modules only describe implementations: each one loads its library
 * lazily in `make`, so the orchestrator can read the list without loading any library, and a
 * peak-RSS child loads only the library it measures.
 */

/** How a row is read: the baseline sets the 1×, peers are what taskio must beat, references inform. */
export type Role = "baseline" | "taskio" | "peer" | "reference";

/**
 * The kind of process a row runs in (every row has a process of its own). "plain":
 * AsyncLocalStorage stays off (no function-form taskio task is ever created there).
 * "async-context": it is on from the start, as it is in a program that creates function-form
 * tasks; on Node 20/22 that slows every promise in the process, so such rows are compared with the
 * plain rows and with the baseline measured again in such a process.
 */
export type Context = "plain" | "async-context";

/** One call of the measured function: performs `ops` operations and returns a checksum. */
export type Run = () => Promise<number>;

export interface Target {
  /** Most times slower than the scenario's baseline, given the Node major version (undefined: not judged). */
  baseline?: (nodeMajor: number) => number | undefined;
  /** Most times slower than the baseline measured with AsyncLocalStorage on (undefined: not judged). */
  contextBaseline?: (nodeMajor: number) => number | undefined;
  /** Most times slower than another row of the same scenario (e.g. the same work with ALS off). */
  relative?: { to: string; max: number; label: string };
  /** Must be faster than every peer row of the scenario, or than those whose names start with one of these. */
  peers?: boolean | readonly string[];
}

export interface Impl {
  name: string;
  role: Role;
  /** Default "plain". */
  context?: Context;
  /** The DESIGN.md targets this row is judged by; absent: informative only. */
  target?: Target;
  /** Loads the library and builds the function measured; `ops` operations per call. */
  make?: (ops: number) => Promise<Run>;
  /** This row is the scenario's baseline measured again in an async-context process (the ALS tax). */
  contextBaseline?: boolean;
  /**
   * At most this many operations per call, for a peer whose cost grows faster than linearly at
   * the scenario's size (its row says so): smaller runs flatter it, so the comparison stays fair to it.
   */
  maxOps?: number;
  /** Set instead of `make` when there is no fair way to measure it: the table says why. */
  notComparable?: string;
}

export interface Scenario {
  /** Short id used in the table and in JSON. */
  id: string;
  /** What one operation is, identical for every implementation. */
  op: string;
  /** Operations per measured call (amortizes the harness' own per-call cost). */
  ops: number;
  /** The checksum every implementation must return for `ops` operations. */
  expect: (ops: number) => number;
  /** Extra check after a verification call (e.g. how many jobs ran at once); throws on failure. */
  check?: (impl: Impl) => void;
  impls: Impl[];
  /**
   * Big-N scenarios: measured calls per implementation per round, with no tinybench warmup and no
   * time budget (one call already runs for long enough). Absent: tinybench's time budget decides.
   */
  calls?: number;
  /** `ops` under `--smoke`, where every family runs at a tiny size (default: `ops`). */
  smokeOps?: number;
  /**
   * The run times only a phase of itself with `meter.start()`/`meter.stop()` (e.g. the
   * cancellation of tasks it created first), rather than the whole call.
   */
  selfTimed?: boolean;
  /** The run reports heap bytes per operation with `meter.bytes()`: the table shows them. */
  reportsBytes?: boolean;
}

/** A scenario family: its scenarios run in one child process per implementation. */
export interface Family {
  name: string;
  scenarios: Scenario[];
  /** At most this many rounds, whatever `--rounds` says: big-N families are slow per round. */
  maxRounds?: number;
  /** false: no peak-RSS processes (the family reports heap bytes per task instead, or times a phase). */
  rss?: boolean;
}

/** DESIGN.md: a generator task awaited from a task, and gather of generators, within 3× of the Promise baseline. */
export const GENERATOR_TARGET: Target = { baseline: () => 3, peers: true };

/** DESIGN.md: a generator task awaited from top-level code within 4× (awaiting any thenable there costs ~2×). */
export const TOP_LEVEL_GENERATOR_TARGET: Target = { baseline: () => 4, peers: true };

/**
 * DESIGN.md: async-function tasks, and gather of async functions, within 6× of the baseline on
 * Node 24+; on Node 20/22 (which tax every promise once AsyncLocalStorage is on) within 6× of the
 * baseline measured with it on.
 */
export const ASYNC_FUNCTION_TARGET: Target = {
  baseline: (major) => (major >= 24 ? 6 : undefined),
  contextBaseline: (major) => (major >= 24 ? undefined : 6),
  peers: true,
};

/** DESIGN.md: turning AsyncLocalStorage on makes generator tasks at most 1.5× slower. */
export const ALS_GENERATOR_TARGET: Target = {
  relative: { to: "taskio createTask(gen())", max: 1.5, label: "≤1.5× with ALS off" },
};

/** Only ahead of every peer (no baseline bar: semaphores, queues and locks add waiting by design). */
export const PEER_TARGET: Target = { peers: true };

/** DESIGN.md: `limit(fn)` and `sem.run(fn)` ahead of p-limit and async-mutex. */
export const RUN_TARGET: Target = { peers: ["p-limit", "async-mutex"] };

/** DESIGN.md: bare acquire/release ahead of async-sema. */
export const ACQUIRE_TARGET: Target = { peers: ["async-sema"] };

export function contextOf(impl: Impl): Context {
  return impl.context ?? "plain";
}

/** The most rounds a big-N family runs (its `maxRounds`): each of its rounds is long already. */
export const BIG_ROUNDS = 2;
