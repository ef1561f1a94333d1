// Starts and stops a private redis-server on a free loopback port for the queue tests.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/** Why the queue tests skip (redis-server missing), or false when they can run. */
export function redisSkipReason(): string | false {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? false : 'redis-server is not installed (apt-get install -y redis-server); the queue tests need it';
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A redis-server of the tests: no persistence, loopback only; start() again after stop() on the same port. */
export interface TestRedis {
  port: number;
  /** The URL of database `db`. */
  url(db?: number): string;
  start(): Promise<void>;
  /** Kills the server (SIGKILL: its memory, and so every job, is lost) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts a redis-server on a free loopback port; resolves once it accepts connections. */
export async function startTestRedis(): Promise<TestRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const redis: TestRedis = {
    port,
    url: (db = 0) => `redis://127.0.0.1:${port}/${db}`,
    start: () =>
      new Promise((resolve, reject) => {
        const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'];
        const c = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
        child = c;
        let out = '';
        const timer = setTimeout(() => reject(new Error(`redis-server did not start within 30 s:\n${out}`)), 30_000);
        c.stdout?.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('Ready to accept connections')) {
            clearTimeout(timer);
            resolve();
          }
        });
        c.on('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`redis-server exited with ${code}:\n${out}`));
        });
      }),
    stop: async () => {
      const c = child;
      child = undefined;
      if (c === undefined || c.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        c.removeAllListeners('exit');
        c.once('exit', () => resolve());
        c.kill('SIGKILL');
      });
    },
  };
  await redis.start();
  return redis;
}
