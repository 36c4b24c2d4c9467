/**
 * The most ids one script call carries. The ids are spread into the call's arguments: past about
 * 125,000 of them V8 throws a RangeError (its stack overflows), and a single script walking them
 * all would keep Redis from every other client meanwhile.
 */
export const IDS_PER_CALL = 10_000;

/** Calls `call` on slices of `ids` of at most IDS_PER_CALL, and joins their replies in order. */
export function callInChunks<T>(
  ids: readonly string[],
  call: (chunk: readonly string[]) => Promise<T[]>,
): Promise<T[]> {
  if (ids.length <= IDS_PER_CALL) return call(ids);
  const calls: Promise<T[]>[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_CALL) calls.push(call(ids.slice(i, i + IDS_PER_CALL)));
  return Promise.all(calls).then((replies) => replies.flat());
}
