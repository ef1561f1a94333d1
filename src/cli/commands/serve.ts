import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ConfigError } from '../../index.js';
import { createServer, defaultWebDir, packageRoot } from '../../node/index.js';
import type { OptionValue } from '../read-options.js';

/** `widen serve [RUN...]`: the playground and the run dashboard on http://127.0.0.1:8600/. */
export async function serve(args: string[], options: Map<string, OptionValue>): Promise<void> {
  const port = (options.get('port') as number | undefined) ?? 8600;
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new ConfigError(`--port ${port} is not a TCP port; pass an integer in [0, 65535] (0: any free port)`, {
      where: '--port',
      got: port,
      allowed: '0..65535',
    });
  }
  const webDir = defaultWebDir();
  if (!existsSync(join(webDir, 'index.html'))) buildWeb(webDir);
  const app = await createServer({ runs: args, webDir });
  const host = options.get('host') === true ? '0.0.0.0' : '127.0.0.1';
  const address = await app.listen({ port, host });
  console.log(
    `widen serve: ${address.replace('0.0.0.0', 'localhost')}/  (playground; run dashboard at /runs/, ${args.length} run folder(s)); Ctrl-C stops`,
  );
  await new Promise<void>((done) => {
    const stop = (): void => {
      void app.close().then(done);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** Builds the web app with vite (a dev dependency) when it is missing; says how otherwise. */
function buildWeb(webDir: string): void {
  const root = packageRoot();
  let vite: string;
  try {
    vite = join(createRequire(join(root, 'package.json')).resolve('vite/package.json'), '..', 'bin', 'vite.js');
  } catch {
    throw new ConfigError(
      `the web app is not built (${webDir} is missing) and vite is not installed; run \`npm run build:web\` in ${root}`,
      {
        where: webDir,
      },
    );
  }
  console.log(`building the web app into ${webDir} (once)...`);
  const r = spawnSync(process.execPath, [vite, 'build', '--config', join(root, 'web', 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0)
    throw new ConfigError(`building the web app failed; run \`npm run build:web\` in ${root} and read its errors`, { where: webDir });
}
