// The recommendation adapter's one Lua script (named verb-<numberOfKeys>, header listing KEYS, ARGV and
// the result, as storage/redis/scripts.ts does). A script because reading a set's epoch, rebasing it
// and adding against it must not interleave with another writer's add: an increment computed against an
// epoch that a concurrent rebase just moved would be off by the rebase's factor.
import type { ScriptDef } from '../redis/scripts.ts';

/** add-decayed-2.lua */
export const ADD_DECAYED: ScriptDef = {
  name: 'addDecayed',
  numberOfKeys: 2,
  lua: `
-- add-decayed-2.lua: add weights to a set of decayed scores (engine/recommendation/decay.ts). Each is
-- stored as weight * 2^((at - epoch) / halfLife) against the set's epoch. An event more than maxExponent
-- half-lives past the epoch first rebases the set: epoch := its time, every value scaled once, those
-- worth less than forgetBelow dropped. Then the set keeps its most valuable members only, and both keys
-- get the time to live. A set whose epoch is missing is started afresh (its values would be meaningless).
-- KEYS[1]  the scores (zset: member -> stored value)
-- KEYS[2]  the epoch of KEYS[1] (string, ms)
-- ARGV[1]  half-life, ms
-- ARGV[2]  most members kept
-- ARGV[3]  time to live of both keys, ms
-- ARGV[4]  maxExponent
-- ARGV[5]  forgetBelow
-- ARGV[6..] triples: member, weight, at (ms)
-- returns  the epoch after the call, ms (a string)
local function fmt(x) return string.format('%.17g', x) end
local h = tonumber(ARGV[1])
local maxExponent = tonumber(ARGV[4])
local forgetBelow = tonumber(ARGV[5])
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
for i = 6, #ARGV, 3 do
  local at = tonumber(ARGV[i + 2])
  if epoch == nil then
    epoch = at
  elseif (at - epoch) / h > maxExponent then
    rebase(at)
  end
  redis.call('ZINCRBY', KEYS[1], fmt(tonumber(ARGV[i + 1]) * 2 ^ ((at - epoch) / h)), ARGV[i])
end
if epoch == nil then
  return nil
end
redis.call('SET', KEYS[2], fmt(epoch), 'PX', ARGV[3])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[2]) + 1))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return fmt(epoch)
`,
};

export const RECOMMENDATION_SCRIPTS: readonly ScriptDef[] = [ADD_DECAYED];
