import { readFileSync } from 'node:fs';
import { ConfigError } from '../../engine/index.js';
import { type ExperimentConfig, parseExperimentConfigText } from '../../experiments/trials/experiment-config.js';

/**
 * Reads and validates an experiment config file (`.json`, or YAML for any other extension).
 * ConfigError names the file, and the line and column of a YAML syntax error.
 * Example: `expandTrials(loadExperimentConfig('experiments/boolean/headline.yaml'))`.
 */
export function loadExperimentConfig(file: string): ExperimentConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read experiment config ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
      where: file,
    });
  }
  return parseExperimentConfigText(text, file);
}
