import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

// The package surface as an installed user meets it: package.json `exports` names the core
// ("widen"), the Node shell ("widen/node") and the internals ("widen/internals"), each with its
// types, and the built files behind them (dist/, made by `npm install` / `npm run build`) load.

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: Record<string, { types: string; default: string }> };

test('package.json exports the core, the Node shell and the internals, each with types', () => {
  assert.deepEqual(Object.keys(pkg.exports).sort(), ['.', './internals', './node', './package.json']);
  for (const entry of ['.', './node', './internals']) {
    const { types, default: js } = pkg.exports[entry];
    assert.match(types, /^\.\/dist\/src\/.+\.d\.ts$/);
    assert.equal(js, types.replace(/\.d\.ts$/, '.js'));
    const source = js.replace(/^\.\/dist\//, './').replace(/\.js$/, '.ts');
    assert.ok(existsSync(source), `${entry} points at ${js}, whose source ${source} does not exist`);
  }
});

/** The newest modification time of the .ts files under `dir`. */
function newest(dir: string): number {
  return Math.max(
    ...readdirSync(dir).map((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? newest(p) : p.endsWith('.ts') ? statSync(p).mtimeMs : 0;
    }),
  );
}

test('the built entries load by their package names and keep the core free of the shell', async (t) => {
  // npm install builds dist/ (CI always has a fresh one); a work tree edited since is not tested here
  if (!existsSync('dist/src/index.js') || statSync('dist/src/index.js').mtimeMs < newest('src')) {
    t.skip('dist/ is missing or older than src/; run `npm run build` to test the built entries');
    return;
  }
  for (const entry of ['.', './node', './internals']) {
    const { types, default: js } = pkg.exports[entry];
    assert.ok(existsSync(js), `${js} is missing: run npm run build`);
    assert.ok(existsSync(types), `${types} is missing: run npm run build`);
  }
  const core = await import('widen');
  const node = await import('widen/node');
  assert.equal(typeof core.createEngine, 'function');
  assert.equal(typeof core.createPlatform, 'function');
  assert.equal(typeof node.useNodePlatform, 'function');
  assert.equal(typeof node.loadDataset, 'function');
  assert.equal('useNodePlatform' in core, false);
  assert.equal('openStore' in core, false);
});
