import { Redis, type RedisOptions } from 'ioredis';
import { ConfigError } from '../../engine/index.js';

/** Name of the BullMQ queue every widen sweep shares on a Redis database (jobs are keyed by trial id). */
export const QUEUE_NAME = 'widen-trials';

/**
 * ioredis options for a `redis://[:password@]host[:port][/db]` or `rediss://` (TLS) URL, parsed with
 * the WHATWG URL parser. BullMQ needs `maxRetriesPerRequest: null`: a command waits through a
 * reconnect instead of failing, so a Redis restart pauses a sweep rather than ending it. Example:
 * `redisOptions('rediss://:secret@queue.lab:6380/2')`.
 */
export function redisOptions(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badUrl(url, 'it is not a URL');
  }
  const tls = parsed.protocol === 'rediss:';
  if (!tls && parsed.protocol !== 'redis:') throw badUrl(url, `the scheme is ${parsed.protocol} rather than redis: or rediss:`);
  if (parsed.hostname === '') throw badUrl(url, 'it names no host');
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw badUrl(url, `the database '${db}' is not a number`);
  // brackets of an IPv6 literal are URL syntax, not part of the address
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    host,
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    db: db === '' ? 0 : Number(db),
    ...(parsed.username !== '' ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password !== '' ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(tls ? { tls: { servername: host } } : {}),
    maxRetriesPerRequest: null,
    // back off to at most 2 s between reconnects, forever: the sweep resumes when Redis returns
    retryStrategy: (times) => Math.min(100 * times, 2000),
  };
}

/** A Redis connection for `url` (see redisOptions); the caller closes it with quit(). */
export function connectRedis(url: string): Redis {
  const redis = new Redis(redisOptions(url));
  // ioredis reports every failed reconnect as an 'error' event; without a listener Node would
  // print each one as unhandled. The commands themselves wait for the reconnect.
  redis.on('error', () => {});
  return redis;
}

/** A URL with its password replaced by '***', for messages and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.href;
  } catch {
    return '<invalid URL>';
  }
}

function badUrl(url: string, why: string): ConfigError {
  return new ConfigError(
    `invalid Redis URL ${redactRedisUrl(url)}: ${why}; pass redis://[:password@]host[:port][/db] or rediss://... for TLS`,
    { where: 'queue URL', got: redactRedisUrl(url), allowed: 'redis://, rediss://' },
  );
}
