// The widen CLI from source, for benchmarks that start `widen` processes: node --import tsx bench/widen-cli.ts ARGS
import { main } from '../src/cli/main.js';

process.exitCode = await main(process.argv);
