import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { downloadVerified, loadDataset } from '../../../src/node/index.js';
import { tempDir, tinyImageSet } from '../../data/helpers.js';

// Fashion-MNIST's four files, tiny, served from 127.0.0.1 only: nothing here reaches the internet
const FILES = tinyImageSet(8, 4, 200);
const MD5 = Object.fromEntries(Object.entries(FILES).map(([n, b]) => [n, `md5:${createHash('md5').update(b).digest('hex')}`]));
const MAX_REQUESTS = 40;

describe('download against a loopback server', () => {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const name = (req.url ?? '').replace(/^\/fm\//, '');
    const body = req.url?.startsWith('/fm/') ? FILES[name] : undefined;
    // bounded: a runaway retry loop gets 503 instead of hanging the suite
    if (requests.length > MAX_REQUESTS) res.writeHead(503).end();
    else if (body === undefined) res.writeHead(404, 'Not Found').end('no such file');
    else res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
  });
  server.requestTimeout = 5000;
  let base = '';
  before(async () => {
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('downloads, verifies and caches Fashion-MNIST, then reuses the cache', async () => {
    const home = tempDir();
    const where = { env: {}, home, systemDir: join(home, 'none'), checksums: MD5 };
    const spec = { kind: 'fashion-mnist', download: true, baseUrl: `${base}/fm/`, scale: false } as const;
    const start = requests.length;
    const d = await loadDataset(spec, where);
    assert.deepEqual([d.train.size, d.test?.size, d.train.x[0]], [8, 4, 200]);
    assert.equal(requests.length - start, 4);
    const cache = join(home, '.cache/widen/fashion-mnist');
    assert.deepEqual(readdirSync(cache).sort(), Object.keys(FILES).sort(), 'only verified files, no temp files');
    assert.deepEqual(readFileSync(join(cache, 'train-images-idx3-ubyte.gz')), Buffer.from(FILES['train-images-idx3-ubyte.gz']));
    const again = await loadDataset(spec, where);
    assert.deepEqual(again.train.x, d.train.x);
    assert.equal(requests.length - start, 4, 'the second load reads the cache');
  });

  it('takes the base URL from $WIDEN_FASHION_MNIST_URL and checks SHA-256 too', async () => {
    const home = tempDir();
    const sha = Object.fromEntries(Object.entries(FILES).map(([n, b]) => [n, `sha256:${createHash('sha256').update(b).digest('hex')}`]));
    const d = await loadDataset(
      { kind: 'fashion-mnist', download: true },
      { env: { WIDEN_FASHION_MNIST_URL: `${base}/fm` }, home, systemDir: home, checksums: sha },
    );
    assert.equal(d.test?.size, 4);
  });

  it('deletes the temp file and says so on a checksum mismatch', async () => {
    const home = tempDir();
    const wrong = { ...MD5, 'train-labels-idx1-ubyte.gz': `md5:${'0'.repeat(32)}` };
    await assert.rejects(
      loadDataset({ kind: 'fashion-mnist', download: true, baseUrl: `${base}/fm/` }, { env: {}, home, systemDir: home, checksums: wrong }),
      (e: Error) => {
        assert.equal(e.name, 'DataError');
        assert.match(
          e.message,
          /^http:\/\/127\.0\.0\.1:\d+\/fm\/train-labels-idx1-ubyte\.gz: md5 checksum mismatch \(expected 0{32}, got [0-9a-f]{32}\); deleted the temp file .*\.part; nothing was saved to /,
        );
        return true;
      },
    );
    const cache = join(home, '.cache/widen/fashion-mnist');
    assert.deepEqual(readdirSync(cache), ['train-images-idx3-ubyte.gz'], 'the verified first file stays, the bad one left nothing');
  });

  it('reports an HTTP 404 and saves nothing', async () => {
    const dir = tempDir();
    const dest = join(dir, 'x.gz');
    await assert.rejects(
      downloadVerified(`${base}/missing/x.gz`, dest, { checksum: MD5['t10k-labels-idx1-ubyte.gz'] }),
      /^DataError: http:\/\/127\.0\.0\.1:\d+\/missing\/x\.gz: download failed with HTTP 404 Not Found; nothing was saved to .*x\.gz$/,
    );
    assert.deepEqual(readdirSync(dir), []);
  });

  it('refuses oversize bodies, unreachable hosts and malformed checksums', async () => {
    const dir = tempDir();
    const dest = join(dir, 'y.gz');
    const url = `${base}/fm/train-images-idx3-ubyte.gz`;
    await assert.rejects(
      downloadVerified(url, dest, { checksum: MD5['train-images-idx3-ubyte.gz'], maxBytes: 10 }),
      /download failed after \d+ bytes \(body exceeds the 10-byte limit\)/,
    );
    assert.deepEqual(readdirSync(dir), []);
    await assert.rejects(
      downloadVerified(url, dest, { checksum: 'crc:1' }),
      /checksum for .* must be 'md5:<hex>' or 'sha256:<hex>', got "crc:1"/,
    );
    // a port nobody listens on: the closed server's own port
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    await assert.rejects(
      downloadVerified(`http://127.0.0.1:${port}/z`, dest, { checksum: 'md5:00' }),
      /download failed \(fetch failed: .*ECONNREFUSED/,
    );
    assert.equal(existsSync(dest), false);
  });
});
