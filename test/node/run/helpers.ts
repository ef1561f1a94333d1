import type { TrialRecord } from '../../../src/index.js';
import { openStore } from '../../../src/node/index.js';

/** Records by id without what legitimately differs between runs (timings, finish time). */
export function byId(records: TrialRecord[]): Map<string, unknown> {
  return new Map(records.map((r) => [r.id, { ...r, timings: undefined, finishedAt: undefined }]));
}

/** The records stored in the run folder `dir`. */
export function stored(dir: string): TrialRecord[] {
  const store = openStore(dir, { readonly: true });
  try {
    return store.trials();
  } finally {
    store.close();
  }
}
