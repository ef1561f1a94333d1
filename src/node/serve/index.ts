export { readRunTrials, type ServedRun, type ServedTrial, servedRuns, trialsCsv } from './run-folders.js';
export { createServer, defaultWebDir, type ServeOptions } from './serve.js';
