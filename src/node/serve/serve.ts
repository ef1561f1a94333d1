import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { ConfigError } from '../../engine/index.js';
import { packageRoot } from '../package-info.js';
import { readRunTrials, type ServedRun, servedRuns, trialsCsv } from './run-folders.js';

/** Options of createServer: the run folders, and the built web app (default: the package's dist/web). */
export interface ServeOptions {
  runs: readonly string[];
  webDir?: string;
}

/** Where `npm run build:web` puts the app. */
export function defaultWebDir(): string {
  return join(packageRoot(), 'dist', 'web');
}

/**
 * The `widen serve` app (not yet listening): the built web app with COOP/COEP headers (so the
 * page is cross-origin isolated) and a read-only JSON API over the given run folders. Only GET
 * and HEAD are answered; any other method gets 405. Example:
 * `const app = await createServer({ runs: ['runs/tiny'] }); await app.listen({ port: 8600, host: '127.0.0.1' })`.
 */
export async function createServer(options: ServeOptions): Promise<FastifyInstance> {
  const webDir = options.webDir ?? defaultWebDir();
  if (!existsSync(join(webDir, 'index.html'))) {
    throw new ConfigError(`the web app is not built (${webDir} has no index.html); run \`npm run build:web\` in the widen package first`, {
      where: webDir,
    });
  }
  const runs = servedRuns(options.runs);
  const byId = new Map<string, ServedRun>(runs.map((r) => [r.id, r]));
  const app = Fastify({ logger: false });
  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return reply
        .code(405)
        .header('allow', 'GET, HEAD')
        .send({ error: `${req.method} is not allowed: widen serve is read-only` });
    }
  });
  app.addHook('onSend', async (_req, reply) => {
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-embedder-policy', 'require-corp');
    reply.header('cross-origin-resource-policy', 'same-origin');
    reply.header('x-content-type-options', 'nosniff');
  });

  /** The run named by the URL, or a 404 reply; ids are looked up, never used as paths. */
  const find = (id: string): ServedRun | undefined => byId.get(id);

  app.get('/api/runs', async () => ({
    runs: runs.map((r) => {
      try {
        const trials = readRunTrials(r);
        return { id: r.id, name: r.name, trials: trials.length, error: null, lastFinishedAt: trials.at(-1)?.finishedAt ?? null };
      } catch (err) {
        return { id: r.id, name: r.name, trials: null, error: (err as Error).message, lastFinishedAt: null };
      }
    }),
  }));
  app.get<{ Params: { id: string; file?: string } }>('/api/runs/:id', async (req, reply) => {
    const run = find(req.params.id);
    if (!run) return reply.code(404).send({ error: `no run '${req.params.id}'; GET /api/runs lists the served runs` });
    try {
      return { id: run.id, name: run.name, trials: readRunTrials(run) };
    } catch (err) {
      return reply.code(422).send({ error: (err as Error).message });
    }
  });
  app.get<{ Params: { id: string; file: string } }>('/api/runs/:id/:file', async (req, reply) => {
    const run = find(req.params.id);
    if (!run || (req.params.file !== 'trials.csv' && req.params.file !== 'trials.json'))
      return reply.code(404).send({ error: `no such resource; use /api/runs/<id>/trials.csv or trials.json` });
    try {
      const trials = readRunTrials(run);
      const csv = req.params.file === 'trials.csv';
      return reply
        .header('content-type', csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${run.id}-trials.${csv ? 'csv' : 'json'}"`)
        .send(csv ? trialsCsv(trials) : JSON.stringify(trials, null, 2));
    } catch (err) {
      return reply.code(422).send({ error: (err as Error).message });
    }
  });
  await app.register(fastifyStatic, { root: webDir, prefix: '/', redirect: true, index: 'index.html', dotfiles: 'deny' });
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ error: `not found: ${req.url}` });
  });
  return app;
}
