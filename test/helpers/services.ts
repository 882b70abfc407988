// The real servers the storage tests run against, and what happens when one is missing: a loud
// skip on a developer's machine, a failure when OKJ_REQUIRE_SERVICES=1 (CI), never a silent pass.
//   TEST_MYSQL_URL  default mysql://root@127.0.0.1:3306/test
//   TEST_REDIS_URL  default redis://127.0.0.1:6379
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { Redis } from 'ioredis';

/** The part of a tap Test these helpers use. */
export interface ServiceTest {
  fail(message: string): unknown;
  skip(name: string, cb: () => unknown): unknown;
  teardown(fn: () => unknown): void;
}

export const requireServices = (): boolean => process.env.OKJ_REQUIRE_SERVICES === '1';
export const mariaDbUrl = (): string => process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
export const redisUrl = (): string => process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const redact = (url: string): string => url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');

/** Report a server that cannot be reached: fail under OKJ_REQUIRE_SERVICES=1, else skip loudly. */
export function serviceMissing(t: ServiceTest, service: string, url: string, err?: unknown): void {
  const why = err instanceof Error ? ` (${err.message})` : '';
  const where = redact(url);
  if (requireServices()) {
    t.fail(`!!! ${service} not reachable at ${where}${why}, and OKJ_REQUIRE_SERVICES=1: the storage tests cannot run against it`);
    return;
  }
  const line = '!'.repeat(100);
  console.error(
    `\n${line}\n!!! SKIPPED: ${service} not reachable at ${where}${why} — storage tests did not run against it\n` +
      `!!! Start it, or set the URL (TEST_MYSQL_URL / TEST_REDIS_URL). OKJ_REQUIRE_SERVICES=1 turns this into a failure.\n${line}\n`,
  );
  t.skip(`SKIPPED: ${service} not reachable at ${where} — storage tests did not run against it`, () => {});
}

async function mariaDbAdmin(url: string): Promise<mysql.Connection> {
  const c = await mysql.createConnection({ uri: url, connectTimeout: 2000 });
  c.on('error', () => {}); // a dropped admin connection must not crash the test process
  return c;
}

/** Probe MariaDB; returns its base URL, or null when it is missing (already reported on t). */
export async function requireMariaDb(t: ServiceTest): Promise<string | null> {
  const url = mariaDbUrl();
  try {
    const c = await mariaDbAdmin(url);
    await c.query('SELECT 1');
    await c.end();
    return url;
  } catch (err) {
    serviceMissing(t, 'MariaDB', url, err);
    return null;
  }
}

/**
 * A fresh database of its own (`okj_test_<random>`), so test files running at once never see each
 * other's rows; dropped at t's teardown after `beforeDrop` (close the store first). Null when MariaDB
 * is missing (already reported on t).
 */
export async function mariaDbDatabase(
  t: ServiceTest,
  beforeDrop?: () => Promise<unknown>,
): Promise<{ url: string; name: string; admin: mysql.Connection } | null> {
  const base = await requireMariaDb(t);
  if (base === null) return null;
  const admin = await mariaDbAdmin(base);
  const name = `okj_test_${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  t.teardown(async () => {
    try {
      await beforeDrop?.();
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    }
  });
  const u = new URL(base);
  u.pathname = `/${name}`;
  return { url: u.toString(), name, admin };
}

/** Probe Redis; returns its URL, or null when it is missing (already reported on t). */
export async function requireRedis(t: ServiceTest): Promise<string | null> {
  const url = redisUrl();
  const r = new Redis(url, { lazyConnect: true, connectTimeout: 1500, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => {});
  try {
    await r.connect();
    await r.ping();
    return url;
  } catch (err) {
    serviceMissing(t, 'Redis', url, err);
    return null;
  } finally {
    r.disconnect();
  }
}

/** A key prefix of its own for one test (`okj-test-<random>:`); its keys are deleted at t's teardown. */
export async function redisPrefix(t: ServiceTest, url: string, beforeDrop?: () => Promise<unknown>): Promise<string> {
  const prefix = `okj-test-${randomBytes(6).toString('hex')}:`;
  t.teardown(async () => {
    try {
      await beforeDrop?.();
    } finally {
      await dropRedisPrefix(url, prefix);
    }
  });
  return prefix;
}

export async function dropRedisPrefix(url: string, prefix: string): Promise<number> {
  const r = new Redis(url, { maxRetriesPerRequest: 1 });
  r.on('error', () => {});
  let n = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) n += await r.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
  return n;
}
