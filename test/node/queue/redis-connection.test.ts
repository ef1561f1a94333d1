import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactRedisUrl, redisOptions } from '../../../src/node/index.js';

describe('redisOptions', () => {
  it('reads host, port, database and password from a redis:// URL', () => {
    const o = redisOptions('redis://:s%40cret@127.0.0.1:6390/3');
    assert.deepEqual([o.host, o.port, o.db, o.username, o.password, o.tls], ['127.0.0.1', 6390, 3, undefined, 's@cret', undefined]);
    assert.equal(o.maxRetriesPerRequest, null, 'BullMQ needs commands that wait through a reconnect');
    const d = redisOptions('redis://localhost');
    assert.deepEqual([d.host, d.port, d.db, d.password], ['localhost', 6379, 0, undefined]);
  });

  it('turns on TLS for rediss:// and keeps an ACL user', () => {
    const o = redisOptions('rediss://widen:pw@queue.example:6380/1');
    assert.deepEqual([o.host, o.port, o.db, o.username, o.password], ['queue.example', 6380, 1, 'widen', 'pw']);
    assert.deepEqual(o.tls, { servername: 'queue.example' });
  });

  it('refuses what is not a Redis URL, without printing the password', () => {
    assert.throws(
      () => redisOptions('http://:pw@host:6379'),
      /invalid Redis URL http:\/\/:\*\*\*@host:6379\/: the scheme is http: rather than redis: or rediss:; pass redis:\/\//,
    );
    assert.throws(() => redisOptions('127.0.0.1:6379'), /invalid Redis URL .*: (it is not a URL|the scheme is)/);
    assert.throws(() => redisOptions('redis://host/zero'), /the database 'zero' is not a number/);
    assert.equal(redactRedisUrl('redis://:pw@h:1/0'), 'redis://:***@h:1/0');
  });
});
