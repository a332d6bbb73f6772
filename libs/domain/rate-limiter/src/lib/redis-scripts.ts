import { LuaScript } from './lua-script';

// All times inside the scripts are microseconds. "now" is the Redis server's TIME, so every
// process sharing the budget uses one clock, or (timeSource 'clock') the caller's clock in ms.
const PRELUDE = `
local function now_us(client_now_ms)
  if client_now_ms ~= '' then return math.floor(tonumber(client_now_ms) * 1000) end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local function wait_ms(us)
  local ms = math.ceil(us / 1000)
  if ms < 1 then return 1 end
  return ms
end
local function str(n) return string.format('%.0f', n) end
`;

/**
 * All-or-nothing take.
 * KEYS: 1 bucket (hash credit, ts), 2 grant log (list, newest first), 3 global pause,
 *       4 the key's pause, 5 the key's leases (sorted set: lease id -> expiry).
 * ARGV: 1 limit, 2 interval ms, 3 burst, 4 max per key, 5 lease ttl ms, 6 lease id,
 *       7 '1' when there is a key, 8 client now in ms or '', 9 window margin ms,
 *       10 weight (requests the permit stands for: needs min(weight, burst) tokens, spends weight,
 *       and weight grants now must fit the window).
 * Returns {1, grantedAtUs} or {0, waitMs, reason}.
 */
export const TAKE_SCRIPT = new LuaScript(`${PRELUDE}
local now = now_us(ARGV[8])
local limit = tonumber(ARGV[1])
local interval = tonumber(ARGV[2]) * 1000
local burst = tonumber(ARGV[3])
local weight = tonumber(ARGV[10])

local paused_until = tonumber(redis.call('GET', KEYS[3]) or '0')
if paused_until > now then return {0, wait_ms(paused_until - now), 'paused'} end

local has_key = ARGV[7] == '1'
if has_key then
  local key_paused_until = tonumber(redis.call('GET', KEYS[4]) or '0')
  if key_paused_until > now then return {0, wait_ms(key_paused_until - now), 'key-paused'} end
  redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', str(now))
  if redis.call('ZCARD', KEYS[5]) >= tonumber(ARGV[4]) then
    local first = redis.call('ZRANGE', KEYS[5], 0, 0, 'WITHSCORES')
    return {0, wait_ms(tonumber(first[2]) - now), 'key-busy'}
  end
end

-- token bucket: one token = interval units of credit, refilled at limit units per microsecond
local cap = burst * interval
local state = redis.call('HMGET', KEYS[1], 'credit', 'ts')
local credit = tonumber(state[1])
local ts = tonumber(state[2])
if credit == nil or ts == nil then
  credit = cap
  ts = now
end
if now > ts then
  credit = math.min(cap, credit + (now - ts) * limit)
  ts = now
end
local wait = 0
local needed = math.min(weight, burst) * interval
if credit < needed then wait = math.ceil((needed - credit) / limit) end
-- sliding-window guard: the (limit - weight + 1)-th most recent grant must be a whole interval (+ margin) old
local k = limit - weight + 1
if redis.call('LLEN', KEYS[2]) >= k then
  local window_end = tonumber(redis.call('LINDEX', KEYS[2], k - 1)) + interval + tonumber(ARGV[9]) * 1000
  if window_end - now > wait then wait = window_end - now end
end
if wait > 0 then return {0, wait_ms(wait), 'rate'} end

-- state left idle this long is equivalent to no state (bucket full, window empty)
local idle_ms = math.ceil(math.max(interval, cap / limit) / 1000) + 1000
redis.call('HSET', KEYS[1], 'credit', str(credit - weight * interval), 'ts', str(ts))
redis.call('PEXPIRE', KEYS[1], idle_ms)
for _ = 1, weight do redis.call('LPUSH', KEYS[2], str(now)) end
redis.call('LTRIM', KEYS[2], 0, limit - 1)
redis.call('PEXPIRE', KEYS[2], idle_ms)
if has_key then
  local ttl_ms = tonumber(ARGV[5])
  redis.call('ZADD', KEYS[5], str(now + ttl_ms * 1000), ARGV[6])
  redis.call('PEXPIRE', KEYS[5], ttl_ms + 1000)
end
return {1, now}
`);

/**
 * A grant went out later than granted: its records in the grant log move to the send time, so
 * the window counts it from its real departure (as the memory store's `sentLate`).
 * KEYS: 1 grant log (list, newest first). ARGV: 1 granted at (µs, as recorded), 2 weight, 3 sent at (µs).
 * Records only move later and the log stays in order: the newer records (later grants, of any
 * process) are raised to the send time too. Returns the number of records changed.
 */
export const SENT_LATE_SCRIPT = new LuaScript(`${PRELUDE}
local granted = tonumber(ARGV[1])
local weight = tonumber(ARGV[2])
local sent = tonumber(ARGV[3])
if not (sent > granted) then return 0 end
local log = redis.call('LRANGE', KEYS[1], 0, -1)
local seen = 0
local last = 0
for i = 1, #log do
  local t = tonumber(log[i])
  if t == granted then
    seen = seen + 1
    last = i
    if seen == weight then break end
  elseif t < granted then
    break
  end
end
local changed = 0
for i = 1, last do
  if tonumber(log[i]) < sent then
    redis.call('LSET', KEYS[1], i - 1, str(sent))
    changed = changed + 1
  end
end
return changed
`);

/** KEYS: 1 pause key. ARGV: 1 ms, 2 client now in ms or ''. Only ever extends the pause. */
export const PAUSE_SCRIPT = new LuaScript(`${PRELUDE}
local now = now_us(ARGV[2])
local ms = tonumber(ARGV[1])
local until_us = now + ms * 1000
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_us > current then
  redis.call('SET', KEYS[1], str(until_us), 'PX', math.ceil(ms) + 1000)
end
return 1
`);

/** KEYS: 1 the key's leases. ARGV: 1 lease id, 2 ttl ms, 3 client now in ms or ''. 1 if renewed. */
export const RENEW_SCRIPT = new LuaScript(`${PRELUDE}
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
local ttl_ms = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], 'XX', str(now_us(ARGV[3]) + ttl_ms * 1000), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ttl_ms + 1000)
return 1
`);
