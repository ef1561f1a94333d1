/** How a flag's text value is read. */
export type OptionType = 'string' | 'number' | 'integer' | 'boolean' | 'list';

/** One CLI option, declared once: this table drives parsing, validation, --help and the README table. */
export interface OptionSpec {
  long: string;
  short?: string;
  type: OptionType;
  description: string;
  /** Shown in help; the real default lives in the config schema or the command. */
  default?: string;
  choices?: readonly string[];
  /** For `widen train`: the config path the flag overrides (dot-separated). */
  configPath?: string;
  /** Commands that accept the flag. */
  commands: readonly string[];
}
