/**
 * The seed and size of every property test in the repository, read once from the environment:
 * - `TASKIO_PROPERTY_SEED`: unset, the fixed {@link DEFAULT_PROPERTY_SEED}, so a normal run is
 *   the same on every machine; an integer replays that seed; `random` picks a new one (what
 *   `pnpm test:stress` does on each pass).
 * - `TASKIO_PROPERTY_RUNS`: a factor on each test's number of runs (default 1), for a longer hunt.
 *
 * fast-check prints the seed and the counterexample's path when a property fails; put the seed in
 * the test's name too ({@link propertySeed}), so it shows in the report of a passing run as well.
 */

/** The seed property tests run with when `TASKIO_PROPERTY_SEED` is not set. */
export const DEFAULT_PROPERTY_SEED = 20_261_206;

/** Reads a `TASKIO_PROPERTY_SEED` value: unset or empty, `random`, or an integer. */
export function readPropertySeed(text: string | undefined): number {
  if (text === undefined || text === "") return DEFAULT_PROPERTY_SEED;
  if (text === "random") return Math.floor(Math.random() * 2 ** 31);
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(
      `TASKIO_PROPERTY_SEED must be "random" or an integer, got ${JSON.stringify(text)}: unset it for the fixed seed`,
    );
  }
  return seed;
}

/** Reads a `TASKIO_PROPERTY_RUNS` value: unset or empty (1), or a factor above 0. */
export function readPropertyRuns(text: string | undefined): number {
  if (text === undefined || text === "") return 1;
  const factor = Number(text);
  if (!(factor > 0) || !Number.isFinite(factor)) {
    throw new RangeError(
      `TASKIO_PROPERTY_RUNS must be a number above 0 (a factor on each test's runs), got ${JSON.stringify(text)}`,
    );
  }
  return factor;
}

const env = globalThis.process?.env ?? {};
const seed = readPropertySeed(env.TASKIO_PROPERTY_SEED);
const factor = readPropertyRuns(env.TASKIO_PROPERTY_RUNS);

/** The seed of this run of the property tests, the same for every test in the process. */
export function propertySeed(): number {
  return seed;
}

/**
 * fast-check parameters for a property checked `numRuns` times (times `TASKIO_PROPERTY_RUNS`):
 * this run's seed, and stopping at the first failure, whose seed and path fast-check prints.
 * It does not shrink: shrinking a scenario of many tasks can outlast the test's time limit on a
 * loaded machine, and the seed and path already replay the failing case.
 * @example
 * await fc.assert(fc.asyncProperty(plans, check), propertyParams(60));
 */
export function propertyParams(numRuns: number): { seed: number; numRuns: number; endOnFailure: true } {
  return { seed, numRuns: Math.ceil(numRuns * factor), endOnFailure: true };
}
