// Runs the CLI from source (tests spawn this so they need no build): node --import tsx test/e2e/widen.ts ARGS
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv);
