// Lua scripts, each named verb-<numberOfKeys> with a header listing KEYS, ARGV and what it returns.
// Loaded once per client with defineCommand (EVALSHA, falling back to EVAL after a SCRIPT FLUSH).

export interface ScriptDef {
  name: string;
  numberOfKeys: number;
  lua: string;
}

/** put-view-1.lua */
export const PUT_VIEW: ScriptDef = {
  name: 'putView',
  numberOfKeys: 1,
  lua: `
-- put-view-1.lua: publish an auction's view unless the stored one is as new or newer.
-- KEYS[1]  the view hash (fields: seq, v)
-- ARGV[1]  the view's seq (integer)
-- ARGV[2]  the view as JSON
-- ARGV[3]  time to live in ms; 0 keeps the view until a newer one replaces it
-- returns  1 when written, 0 when a view with seq >= ARGV[1] is already stored
local current = tonumber(redis.call('HGET', KEYS[1], 'seq'))
local seq = tonumber(ARGV[1])
if current ~= nil and current >= seq then
  return 0
end
redis.call('HSET', KEYS[1], 'seq', ARGV[1], 'v', ARGV[2])
local ttl = tonumber(ARGV[3])
if ttl > 0 then
  redis.call('PEXPIRE', KEYS[1], ttl)
else
  redis.call('PERSIST', KEYS[1])
end
return 1
`,
};

export const SCRIPTS: readonly ScriptDef[] = [PUT_VIEW];

/** reserve-attempt-1.lua */
export const RESERVE_ATTEMPT: ScriptDef = {
  name: 'reserveAttempt',
  numberOfKeys: 1,
  lua: `
-- reserve-attempt-1.lua: count one attempt unless the limit is reached, in a fixed window that starts
-- with the first attempt. One script, so racing reservations cannot all read a count below the limit.
-- KEYS[1]  the counter (string)
-- ARGV[1]  the limit (integer >= 1)
-- ARGV[2]  the window in ms
-- returns  {1 reserved | 0 refused, attempts in the window, ms until the window ends}
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
local reserved = 0
if n < tonumber(ARGV[1]) then
  n = redis.call('INCR', KEYS[1])
  reserved = 1
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 and n > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {reserved, n, math.max(ttl, 0)}
`,
};

/** release-attempt-1.lua */
export const RELEASE_ATTEMPT: ScriptDef = {
  name: 'releaseAttempt',
  numberOfKeys: 1,
  lua: `
-- release-attempt-1.lua: give one reserved attempt back, never below zero; the window keeps its end.
-- KEYS[1]  the counter (string)
-- returns  the attempts left in the window
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n > 0 then
  return redis.call('DECR', KEYS[1])
end
return 0
`,
};

/** The attempt counter's scripts (storage/redis/attempts.ts). */
export const ATTEMPT_SCRIPTS: readonly ScriptDef[] = [RESERVE_ATTEMPT, RELEASE_ATTEMPT];
