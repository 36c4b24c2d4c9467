import type { Redis } from "ioredis";

// Every script reads the time from Redis (TIME), never from the caller: leases are compared on
// one clock, whatever the skew between the machines that share a semaphore or queue.

/** Keys: holders (id → lease deadline), waiters (id → ticket), deadlines (waiter id → lease
 * deadline), leases (waiter id → lease ms), limit, seq (ticket counter). */
const SEMAPHORE_PRELUDE = `
local H, W, D, T, L, S = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
-- Holders and waiters whose lease ran out belong to processes that died or stalled. Takes the
-- number of waiters (ZCARD W) and returns the number left. Every waiter has a deadline, so with no
-- one waiting there is no deadline to read.
local function purge(waiting)
  redis.call('ZREMRANGEBYSCORE', H, '-inf', now)
  if waiting == 0 then return 0 end
  local dead = redis.call('ZRANGEBYSCORE', D, '-inf', now)
  for i = 1, #dead do
    redis.call('ZREM', W, dead[i])
    redis.call('ZREM', D, dead[i])
    redis.call('HDEL', T, dead[i])
  end
  return waiting - #dead
end
-- Hands the free permits to the longest waiters, in ticket order, and names them on the channel
-- of the instance that waits (\`<prefix><instance>\`, an id being \`<instance>:<n>\`): a grant wakes
-- only the process it is for.
-- Returns the number of waiters left.
local function grant(limit, prefix, waiting)
  if waiting == 0 then return 0 end
  local free = limit - redis.call('ZCARD', H)
  if free <= 0 then return waiting end
  local heads = redis.call('ZRANGE', W, 0, free - 1)
  if #heads == 0 then return 0 end
  local owners, byOwner = {}, {}
  for i = 1, #heads do
    local id = heads[i]
    local lease = tonumber(redis.call('HGET', T, id)) or 30000
    redis.call('ZADD', H, now + lease, id)
    redis.call('ZREM', W, id)
    redis.call('ZREM', D, id)
    redis.call('HDEL', T, id)
    local owner = string.match(id, '^(.*):') or id
    local ids = byOwner[owner]
    if ids == nil then
      ids = {}
      byOwner[owner] = ids
      owners[#owners + 1] = owner
    end
    ids[#ids + 1] = id
  end
  for i = 1, #owners do
    redis.call('PUBLISH', prefix .. owners[i], table.concat(byOwner[owners[i]], ' '))
  end
  return waiting - #heads
end
-- An idle semaphore forgets its limit and its ticket counter (holders whose lease ran out are
-- looked for only if someone still seems to hold a permit).
local function tidy(waiting)
  if waiting > 0 then return end
  if redis.call('EXISTS', H) == 1 then
    redis.call('ZREMRANGEBYSCORE', H, '-inf', now)
    if redis.call('EXISTS', H) == 1 then return end
  end
  redis.call('DEL', L, S)
end
`;

/** ARGV: id, limit, lease ms, grant channel prefix → 1 held at once, 0 queued; error TASKIO_LIMIT <n> if the live semaphore has another limit. */
const SEM_ACQUIRE = `${SEMAPHORE_PRELUDE}
local id, limit, lease, channel = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
-- The uncontended path (no one waiting, a permit free) makes five calls: the dead are looked for
-- only when someone waits or every permit seems taken.
local waiting = redis.call('ZCARD', W)
if waiting > 0 then waiting = purge(waiting) end
-- Records the limit and reads the one it replaced in one call (put back if it was another's).
local stored = redis.call('SET', L, ARGV[2], 'GET')
if stored and stored ~= ARGV[2] then
  waiting = purge(waiting)
  if waiting > 0 or redis.call('EXISTS', H) > 0 then
    redis.call('SET', L, stored)
    return redis.error_reply('TASKIO_LIMIT ' .. stored)
  end
end
waiting = grant(limit, channel, waiting)
if waiting == 0 then
  local held = redis.call('ZCARD', H)
  if held >= limit then
    purge(0)
    held = redis.call('ZCARD', H)
  end
  if held < limit then
    redis.call('ZADD', H, now + lease, id)
    return 1
  end
end
redis.call('ZADD', W, redis.call('INCR', S), id)
redis.call('ZADD', D, now + lease, id)
redis.call('HSET', T, id, lease)
return 0
`;

/** ARGV: id, limit, grant channel prefix → 1 it held a permit (now passed on), 0 it was waiting, -1 unknown (expired). */
const SEM_LEAVE = `${SEMAPHORE_PRELUDE}
local id, limit, channel = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local was = -1
if redis.call('ZREM', H, id) == 1 then
  was = 1
elseif redis.call('ZREM', W, id) == 1 then
  was = 0
  redis.call('ZREM', D, id)
  redis.call('HDEL', T, id)
end
local waiting = redis.call('ZCARD', W)
if waiting > 0 then waiting = grant(limit, channel, purge(waiting)) end
tidy(waiting)
return was
`;

/** ARGV: limit, lease ms, grant channel prefix, id... → per id: 1 holds (lease renewed), 0 waits (renewed), -1 unknown. */
const SEM_RENEW = `${SEMAPHORE_PRELUDE}
local limit, lease, channel = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local waiting = grant(limit, channel, purge(redis.call('ZCARD', W)))
local out = {}
for i = 4, #ARGV do
  local id = ARGV[i]
  if redis.call('ZSCORE', H, id) then
    redis.call('ZADD', H, now + lease, id)
    out[#out + 1] = 1
  elseif redis.call('ZSCORE', W, id) then
    redis.call('ZADD', D, now + lease, id)
    out[#out + 1] = 0
  else
    out[#out + 1] = -1
  end
end
tidy(waiting)
return out
`;

/** ARGV: limit → { limit in force, live holders, live waiters }. */
const SEM_STATE = `${SEMAPHORE_PRELUDE}
local stored = redis.call('GET', L)
local live = '(' .. now
return { tonumber(stored or ARGV[1]), redis.call('ZCOUNT', H, live, '+inf'), redis.call('ZCOUNT', D, live, '+inf') }
`;

/** Keys: stream, shutdown flag ('1' shut down, '2' immediately), XAUTOCLAIM cursor. The group
 * is always 'taskio': one group is what makes a stream a work queue (each entry to one consumer). */
const QUEUE_PRELUDE = `
local X, F, C = KEYS[1], KEYS[2], KEYS[3]
local G = 'taskio'
local function ensure()
  if redis.call('EXISTS', X) == 0 then redis.call('XGROUP', 'CREATE', X, G, '0', 'MKSTREAM') end
end
-- Entries not yet delivered: the stream holds those and the delivered ones not yet acknowledged.
local function waiting()
  return redis.call('XLEN', X) - redis.call('XPENDING', X, G)[1]
end
-- Tells joiners on every instance when nothing is left to acknowledge.
local function announceIfEmpty(channel)
  if redis.call('XLEN', X) == 0 then redis.call('PUBLISH', channel, 'empty') end
end
`;

/** ARGV: maxsize, channel, payload... → the ids of the payloads added (a prefix: the rest did not fit), or -1 if shut down. */
const QUEUE_PUT = `${QUEUE_PRELUDE}
if redis.call('EXISTS', F) == 1 then return -1 end
ensure()
local maxsize = tonumber(ARGV[1])
local n = #ARGV - 2
if maxsize > 0 then n = math.min(n, maxsize - waiting()) end
local ids = {}
for i = 1, n do ids[i] = redis.call('XADD', X, '*', 'v', ARGV[i + 2]) end
if n > 0 then redis.call('PUBLISH', ARGV[2], 'put') end
return ids
`;

/** ARGV: consumer, visibility ms, count, maxsize, channel → { id, payload, ... } (first the entries of
 * consumers that went silent, then new ones), or -1 if shut down and nothing is left to claim. */
const QUEUE_GET = `${QUEUE_PRELUDE}
local consumer, visibility, count, maxsize, channel = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local flag = redis.call('GET', F)
if flag == '2' then return -1 end
ensure()
local out = {}
local claimed = redis.call('XAUTOCLAIM', X, G, consumer, visibility, redis.call('GET', C) or '0-0', 'COUNT', count)
redis.call('SET', C, claimed[1])
for _, entry in ipairs(claimed[2]) do
  -- Redis 6.2 lists an entry deleted meanwhile with no fields (7.0 lists it apart): skip it.
  if entry[2] then
    out[#out + 1] = entry[1]
    out[#out + 1] = entry[2][2]
  end
end
local want = count - #out / 2
if want > 0 then
  local fresh = redis.call('XREADGROUP', 'GROUP', G, consumer, 'COUNT', want, 'STREAMS', X, '>')
  if fresh then
    for _, entry in ipairs(fresh[1][2]) do
      out[#out + 1] = entry[1]
      out[#out + 1] = entry[2][2]
    end
    if maxsize > 0 then redis.call('PUBLISH', channel, 'take') end
  end
end
if #out == 0 and flag then return -1 end
return out
`;

/** ARGV: channel, id → 1 acknowledged, 0 it was not pending (claimed again by another consumer, then acknowledged). */
const QUEUE_ACK = `${QUEUE_PRELUDE}
local n = redis.call('XACK', X, G, ARGV[2])
redis.call('XDEL', X, ARGV[2])
announceIfEmpty(ARGV[1])
return n
`;

/** ARGV: consumer, id... → per id 1 still ours (idle time reset), 0 claimed by another consumer or gone. */
const QUEUE_HEARTBEAT = `${QUEUE_PRELUDE}
if redis.call('EXISTS', X) == 0 then return {} end
local consumer = ARGV[1]
local out = {}
for i = 2, #ARGV do
  local id = ARGV[i]
  if #redis.call('XPENDING', X, G, id, id, 1, consumer) > 0 then
    redis.call('XCLAIM', X, G, consumer, 0, id, 'JUSTID')
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out
`;

/** ARGV: channel, id → 1 removed (it was not delivered yet), 0 already delivered. For a put
 * cancelled mid-flight; a slot is free ('take'), and the queue may be empty. */
const QUEUE_RETRACT = `${QUEUE_PRELUDE}
if redis.call('EXISTS', X) == 0 then return 0 end
local id = ARGV[2]
if #redis.call('XPENDING', X, G, id, id, 1) > 0 then return 0 end
local n = redis.call('XDEL', X, id)
if n > 0 then
  redis.call('PUBLISH', ARGV[1], 'take')
  announceIfEmpty(ARGV[1])
end
return n
`;

/** ARGV: channel, id, payload → moves an entry claimed for a getter that was cancelled meanwhile
 * back into the queue (at the tail), so no one waits for it to time out. */
const QUEUE_REQUEUE = `${QUEUE_PRELUDE}
if redis.call('EXISTS', X) == 0 or redis.call('XACK', X, G, ARGV[2]) == 0 then return 0 end
redis.call('XDEL', X, ARGV[2])
if redis.call('GET', F) == '2' then
  announceIfEmpty(ARGV[1])
  return 0
end
redis.call('XADD', X, '*', 'v', ARGV[3])
redis.call('PUBLISH', ARGV[1], 'put')
return 1
`;

/** ARGV: consumer → 1 if it left the group. A consumer that still owns entries stays, or
 * deleting it would drop them from the pending list and no one would ever get them again. */
const QUEUE_BYE = `${QUEUE_PRELUDE}
if redis.call('EXISTS', X) == 0 then return 0 end
if #redis.call('XPENDING', X, G, '-', '+', 1, ARGV[1]) > 0 then return 0 end
redis.call('XGROUP', 'DELCONSUMER', X, G, ARGV[1])
return 1
`;

/** ARGV: immediate ('1' or '0'), channel → the number of undelivered entries dropped. */
const QUEUE_SHUTDOWN = `${QUEUE_PRELUDE}
ensure()
local immediate = ARGV[1] == '1'
if immediate then redis.call('SET', F, '2') elseif redis.call('GET', F) ~= '2' then redis.call('SET', F, '1') end
local dropped = 0
if immediate then
  local groups = redis.call('XINFO', 'GROUPS', X)
  local last = '0-0'
  for _, group in ipairs(groups) do
    local fields = {}
    for i = 1, #group, 2 do fields[group[i]] = group[i + 1] end
    if fields['name'] == G then last = fields['last-delivered-id'] end
  end
  for _, entry in ipairs(redis.call('XRANGE', X, '(' .. last, '+')) do
    dropped = dropped + redis.call('XDEL', X, entry[1])
  end
end
redis.call('PUBLISH', ARGV[2], 'shutdown')
announceIfEmpty(ARGV[2])
return dropped
`;

/** → { entries waiting (not delivered), entries not yet acknowledged (the stream's length), shutdown flag or false }. */
const QUEUE_SIZE = `${QUEUE_PRELUDE}
if redis.call('EXISTS', X) == 0 then return { 0, 0, redis.call('GET', F) } end
return { waiting(), redis.call('XLEN', X), redis.call('GET', F) }
`;

type Reply<T> = Promise<T>;
type Arg = string | number;

/** The scripts, as ioredis methods (`defineCommand`: EVALSHA, falling back to EVAL once). */
export interface Scripts {
  taskioSemAcquire(...args: Arg[]): Reply<number>;
  taskioSemLeave(...args: Arg[]): Reply<number>;
  taskioSemRenew(...args: Arg[]): Reply<number[]>;
  taskioSemState(...args: Arg[]): Reply<[number, number, number]>;
  taskioQueuePut(...args: Arg[]): Reply<string[] | -1>;
  taskioQueueGet(...args: Arg[]): Reply<string[] | -1>;
  taskioQueueAck(...args: Arg[]): Reply<number>;
  taskioQueueHeartbeat(...args: Arg[]): Reply<number[]>;
  taskioQueueRetract(...args: Arg[]): Reply<number>;
  taskioQueueRequeue(...args: Arg[]): Reply<number>;
  taskioQueueBye(...args: Arg[]): Reply<number>;
  taskioQueueShutdown(...args: Arg[]): Reply<number>;
  taskioQueueSize(...args: Arg[]): Reply<[number, number, string | null]>;
}

const DEFINITIONS: [keyof Scripts, number, string, boolean][] = [
  ["taskioSemAcquire", 6, SEM_ACQUIRE, false],
  ["taskioSemLeave", 6, SEM_LEAVE, false],
  ["taskioSemRenew", 6, SEM_RENEW, false],
  ["taskioSemState", 6, SEM_STATE, true],
  ["taskioQueuePut", 3, QUEUE_PUT, false],
  ["taskioQueueGet", 3, QUEUE_GET, false],
  ["taskioQueueAck", 3, QUEUE_ACK, false],
  ["taskioQueueHeartbeat", 3, QUEUE_HEARTBEAT, false],
  ["taskioQueueRetract", 3, QUEUE_RETRACT, false],
  ["taskioQueueRequeue", 3, QUEUE_REQUEUE, false],
  ["taskioQueueBye", 3, QUEUE_BYE, false],
  ["taskioQueueShutdown", 3, QUEUE_SHUTDOWN, false],
  ["taskioQueueSize", 3, QUEUE_SIZE, true],
];

/** Defines the scripts on `client` (once per client) and returns it typed with them. */
export function scripts(client: Redis): Scripts {
  const typed = client as unknown as Scripts;
  if (typeof typed.taskioSemAcquire !== "function") {
    for (const [name, numberOfKeys, lua, readOnly] of DEFINITIONS) {
      client.defineCommand(name, { numberOfKeys, lua, readOnly });
    }
  }
  return typed;
}
