// Loaded before every test file (scripts/run-tests.mjs: --import): the tests run on Node, so the
// engine's default platform is Node's, as in the CLI. Worker threads started by the code under
// test inherit this flag; they set their own platform (the trial worker does), so only the main
// thread loads the TypeScript side. Tests of the bare core pass their own platform.
import { isMainThread } from 'node:worker_threads';

if (isMainThread) {
  const { useNodePlatform } = await import('../src/node/index.ts');
  useNodePlatform();
}
