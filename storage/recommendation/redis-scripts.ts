// The recommendation adapter's one Lua script (named verb-<numberOfKeys>, header listing KEYS, ARGV and
// the result, as storage/redis/scripts.ts does). A script because reading a set's epoch, rebasing it
// and adding against it must not interleave with another writer's add: an increment computed against an
// epoch that a concurrent rebase just moved would be off by the rebase's factor.
import type { ScriptDef } from '../redis/scripts.ts';

/** add-decayed-3.lua */
export const ADD_DECAYED: ScriptDef = {
  name: 'addDecayed',
  numberOfKeys: 3,
  lua: `
-- add-decayed-3.lua: add weights to a set of decayed scores (engine/recommendation/decay.ts). Each is
-- stored as weight * 2^((at - epoch) / halfLife) against the set's epoch. An event more than maxExponent
-- half-lives past the epoch first rebases the set: epoch := its time, every value scaled once, those
-- worth less than forgetBelow dropped. Then the set keeps its most valuable members only, and both keys
-- get the time to live. A set whose epoch is missing is started afresh (its values would be meaningless).
-- An increment with a journal position at or below the set's applied position (as it was when the call
-- began: one event's tags share a position) is a replay: skipped; the applied position moves to the
-- highest one added, in this same script, so scores and position agree. Callers never split one
-- position's increments over two calls.
-- KEYS[1]  the scores (zset: member -> stored value)
-- KEYS[2]  the epoch of KEYS[1] (string, ms)
-- KEYS[3]  the highest journal position applied to KEYS[1] (string)
-- ARGV[1]  half-life, ms
-- ARGV[2]  most members kept
-- ARGV[3]  time to live of both keys, ms
-- ARGV[4]  maxExponent
-- ARGV[5]  forgetBelow
-- ARGV[6..] quads: member, weight, at (ms), journal position (0: none, always applied)
-- returns  the epoch after the call, ms (a string)
local function fmt(x) return string.format('%.17g', x) end
local h = tonumber(ARGV[1])
local maxExponent = tonumber(ARGV[4])
local forgetBelow = tonumber(ARGV[5])
local applied = tonumber(redis.call('GET', KEYS[3]) or '0') or 0
local appliedBefore = applied
local epoch = tonumber(redis.call('GET', KEYS[2]) or '')
if epoch == nil then
  redis.call('DEL', KEYS[1])
elseif redis.call('EXISTS', KEYS[1]) == 0 then
  epoch = nil
end
local function rebase(to)
  local f = 2 ^ ((epoch - to) / h)
  local all = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
  for i = 1, #all, 2 do
    local v = tonumber(all[i + 1]) * f
    if v < forgetBelow then
      redis.call('ZREM', KEYS[1], all[i])
    else
      redis.call('ZADD', KEYS[1], fmt(v), all[i])
    end
  end
  epoch = to
end
local added = false
for i = 6, #ARGV, 4 do
  local at = tonumber(ARGV[i + 2])
  local pos = tonumber(ARGV[i + 3])
  if pos == 0 or pos > appliedBefore then
    if pos > applied then
      applied = pos
    end
    added = true
    if epoch == nil then
      epoch = at
    elseif (at - epoch) / h > maxExponent then
      rebase(at)
    end
    redis.call('ZINCRBY', KEYS[1], fmt(tonumber(ARGV[i + 1]) * 2 ^ ((at - epoch) / h)), ARGV[i])
  end
end
if not added then
  if epoch == nil then
    return nil
  end
  return fmt(epoch)
end
if applied > appliedBefore then
  redis.call('SET', KEYS[3], string.format('%d', applied), 'PX', ARGV[3])
else
  redis.call('PEXPIRE', KEYS[3], ARGV[3])
end
redis.call('SET', KEYS[2], fmt(epoch), 'PX', ARGV[3])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[2]) + 1))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return fmt(epoch)
`,
};

/** raise-position-1.lua */
export const RAISE_POSITION: ScriptDef = {
  name: 'raisePosition',
  numberOfKeys: 1,
  lua: `
-- raise-position-1.lua: save a consumer's position unless the saved one is as far or further (a slower
-- node's save must not rewind a faster one's).
-- KEYS[1]  the position (string)
-- ARGV[1]  the new position (integer)
-- returns  1 when written, 0 otherwise
local current = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tonumber(ARGV[1]) <= current then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1])
return 1
`,
};

export const RECOMMENDATION_SCRIPTS: readonly ScriptDef[] = [ADD_DECAYED, RAISE_POSITION];
