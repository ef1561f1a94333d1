/**
 * The real-data case of `npm run bench` alone: `node --import tsx bench/realdata.bench.ts [--json] [--quick]`
 * runs `npm run bench -- --cases realdata` with the same options (see bench/realdata.ts).
 */
process.argv.splice(2, 0, '--cases', 'realdata');
await import('./run.js');
