/** Machine-readable category of a WidenError; stable across releases, safe to switch on. */
export type WidenErrorCode = 'shape' | 'config' | 'numeric' | 'checkpoint' | 'data' | 'backend' | 'usage';

/** Structured details carried by every WidenError: where it happened, the bad value, what is allowed. */
export interface WidenErrorDetails {
  /** Where: an op, a layer, a config path or a file name. */
  where?: string;
  /** The offending value, when it prints usefully. */
  got?: unknown;
  /** What would have been accepted. */
  allowed?: string;
}

/**
 * Base class of every error widen throws on purpose. The message says what was wrong, where, and
 * what is allowed; `code` and `details` carry the same facts as data.
 */
export class WidenError extends Error {
  readonly code: WidenErrorCode;
  readonly details: WidenErrorDetails;
  constructor(code: WidenErrorCode, message: string, details: WidenErrorDetails = {}) {
    super(message);
    this.name = 'WidenError';
    this.code = code;
    this.details = details;
  }
}

/** Thrown when tensor or mask shapes do not fit an op. */
export class ShapeError extends WidenError {
  constructor(message: string, details: WidenErrorDetails = {}) {
    super('shape', message, details);
    this.name = 'ShapeError';
  }
}

/** Thrown for an invalid option or config value (negative size, unknown name, bad range). */
export class ConfigError extends WidenError {
  constructor(message: string, details: WidenErrorDetails = {}) {
    super('config', message, details);
    this.name = 'ConfigError';
  }
}

/** Thrown when a NaN or Inf shows up in inputs, a loss or a gradient. */
export class NumericError extends WidenError {
  constructor(message: string, details: WidenErrorDetails = {}) {
    super('numeric', message, details);
    this.name = 'NumericError';
  }
}

/** Thrown when a checkpoint file is truncated, malformed or of the wrong architecture. */
export class CheckpointError extends WidenError {
  constructor(message: string, details: WidenErrorDetails = {}) {
    super('checkpoint', message, details);
    this.name = 'CheckpointError';
  }
}

/** Thrown when a data file or dataset is missing, truncated, malformed or inconsistent (sizes, labels, NaN). */
export class DataError extends WidenError {
  constructor(message: string, details: WidenErrorDetails = {}) {
    super('data', message, details);
    this.name = 'DataError';
  }
}

/** Thrown when a compute backend cannot be created or used. */
export class BackendError extends WidenError {
  constructor(message: string, details: WidenErrorDetails = {}) {
    super('backend', message, details);
    this.name = 'BackendError';
  }
}
