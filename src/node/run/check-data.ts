import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ResolvedDatasetSpec } from '../../data/index.js';
import { DataError } from '../../engine/index.js';
import { type ExperimentConfig, gridPoints } from '../../experiments/trials/experiment-config.js';
import { canonicalJson } from '../../experiments/trials/experiment-grid.js';
import { type DataEnvironment, locateImageSet } from '../data/image-sets.js';

/**
 * Checks that every file a dataset spec needs is there, before any trial starts: an image set is
 * located (DataError says where widen looked and how to get it), a user file must exist. `where`
 * redirects the image-set lookup as in loadDataset (tests use it).
 */
export async function checkDataAvailable(spec: ResolvedDatasetSpec, where: DataEnvironment = {}): Promise<void> {
  if (spec.kind === 'mnist' || spec.kind === 'fashion-mnist') {
    await locateImageSet(spec.kind, where, spec.kind === 'fashion-mnist' ? { download: spec.download, baseUrl: spec.baseUrl } : {});
    return;
  }
  const files: Array<[string, string]> =
    spec.kind === 'npy'
      ? [
          ['x', spec.x],
          ['y', spec.y],
        ]
      : spec.kind === 'csv'
        ? [['path', spec.path]]
        : [
            ['path', spec.path],
            ['labels', spec.labels],
          ];
  for (const [key, file] of files) {
    if (!existsSync(file))
      throw new DataError(
        `task.data.${key}: ${resolve(file)} does not exist; pass the path of your ${spec.kind} file (relative to ${process.cwd()})`,
        {
          where: `task.data.${key}`,
          got: file,
        },
      );
  }
}

/** Refuses a real-data experiment whose dataset (any grid point's) cannot be found, before any folder or trial. */
export async function checkData(config: ExperimentConfig): Promise<void> {
  const specs = new Map<string, ResolvedDatasetSpec>();
  for (const point of gridPoints(config)) {
    if (point.task.kind === 'dataset') specs.set(canonicalJson(point.task.data), point.task.data as ResolvedDatasetSpec);
  }
  for (const spec of specs.values()) await checkDataAvailable(spec);
}
