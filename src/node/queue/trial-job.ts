import { z } from 'zod';
import { ConfigError } from '../../engine/index.js';
import type { TrialTask } from '../../experiments/run/trial-pool.js';
import { resolveExperimentConfig } from '../../experiments/trials/experiment-config.js';
import { canonicalJson, expandTrials, type PlannedTrial } from '../../experiments/trials/experiment-grid.js';
import { type BuildId, describeBuild } from './build-id.js';

/**
 * What one BullMQ job carries (its job id is the trial id): the code it must run on, the trial's id
 * and the whole resolved experiment config. A worker re-validates the config with the experiment
 * schema and re-derives the trial from it, so it runs only a trial that config really has.
 */
export interface TrialJobData {
  version: string;
  engineHash: string;
  trial: string;
  experiment: unknown;
}

/** The envelope of a job's data; the experiment inside is checked by resolveExperimentConfig. */
const TrialJobSchema = z.strictObject({
  version: z.string().min(1),
  engineHash: z.string().regex(/^([0-9a-f]{64}|none)$/),
  trial: z.string().regex(/^[0-9a-f]{16}$/),
  experiment: z.record(z.string(), z.unknown()),
});

/** The job data of trial `id` of experiment `config`, built by `build`. */
export function trialJobData(config: unknown, id: string, build: BuildId): TrialJobData {
  return { version: build.version, engineHash: build.engineHash, trial: id, experiment: config };
}

/** Thrown when a job was made by another build than this worker's; the job is not retried. */
export class BuildMismatchError extends ConfigError {
  constructor(message: string) {
    super(message, { where: 'queue job' });
    this.name = 'BuildMismatchError';
  }
}

// Experiments this worker expanded, by canonical config: a sweep sends the same config with every job.
const expanded = new Map<string, Map<string, PlannedTrial>>();
const MAX_EXPERIMENTS = 4;

/**
 * The trial a job asks for, after checking that it was made by `build` (else BuildMismatchError)
 * and that its data passes the schemas (else ConfigError naming the bad field).
 */
export function taskOfJob(data: unknown, build: BuildId): TrialTask {
  const parsed = TrialJobSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`invalid queue job: ${issue.path.join('.') || 'data'}: ${issue.message}; enqueue it with \`widen run --queue\``, {
      where: 'queue job',
    });
  }
  const job = parsed.data;
  if (job.version !== build.version || job.engineHash !== build.engineHash) {
    throw new BuildMismatchError(
      `job ${job.trial} was enqueued by ${describeBuild(job)} but this worker runs ${describeBuild(build)}; ` +
        'run the same widen version and engine build on every machine of a sweep (update this worker or the coordinator)',
    );
  }
  const key = canonicalJson(job.experiment);
  let trials = expanded.get(key);
  if (trials === undefined) {
    const config = resolveExperimentConfig(job.experiment);
    trials = new Map(expandTrials(config).map((t) => [t.id, t]));
    expanded.set(key, trials);
    if (expanded.size > MAX_EXPERIMENTS) expanded.delete(expanded.keys().next().value as string);
  }
  const trial = trials.get(job.trial);
  if (trial === undefined) {
    throw new ConfigError(`invalid queue job: experiment '${String(job.experiment.name)}' has no trial ${job.trial}`, {
      where: 'queue job',
      got: job.trial,
    });
  }
  return { id: trial.id, experiment: String(job.experiment.name), config: trial.config };
}
