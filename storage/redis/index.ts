export { openRedisBoard, RedisBoard, type RedisBoardOptions } from './board.ts';
export { DEFAULT_PREFIX, redisKeys, type RedisKeys } from './keys.ts';
export { PUT_VIEW, SCRIPTS, type ScriptDef } from './scripts.ts';
export { openRedisAttempts, RedisAttempts, type RedisAttemptsOptions } from './attempts.ts';
