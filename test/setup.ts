// Loaded before every test file (scripts/run-tests.mjs: --import): the tests run on Node, so the
// engine's default platform is Node's, as in the CLI. Tests of the bare core pass their own platform.
import { useNodePlatform } from '../src/node/index.js';

useNodePlatform();
