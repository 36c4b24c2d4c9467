/**
 * The trivial work every scenario runs. Sharing one definition keeps the measured operation
 * identical across implementations; only the machinery around it differs.
 */

/** A task body that returns at once. */
export function one(): number {
  return 1;
}

/** The same as a generator (taskio's coroutine form, Effection's operation form). */
export function* oneGen(): Generator<never, number, unknown> {
  return 1;
}

/** The same as an async function. */
export async function oneAsync(): Promise<number> {
  return 1;
}

/**
 * A job run under a limit: it takes one microtask turn while holding its slot, so jobs really
 * overlap, and it records how many ran at once so a run can prove the limit held.
 */
export const jobs = {
  active: 0,
  peak: 0,
  reset(): void {
    jobs.active = 0;
    jobs.peak = 0;
  },
};

export async function job(): Promise<number> {
  if (++jobs.active > jobs.peak) jobs.peak = jobs.active;
  await undefined;
  jobs.active--;
  return 1;
}

/** `n` references to the same function, the input of a fan-out. */
export function repeat<F>(fn: F, n: number): F[] {
  return Array.from({ length: n }, () => fn);
}

/** Sums a result array (every implementation returns its results as a checksum). */
export function sum(values: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total;
}
