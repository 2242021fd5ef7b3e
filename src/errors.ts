/**
 * The few named errors of income-watch. Each has a stable `code`; the faces (CLI, HTTP)
 * map codes to exit statuses and HTTP statuses. Domain code never throws HTTP errors.
 *
 * Exit statuses (PRODUCT.md): 0 success, 1 the command ran but found problems,
 * 2 a usage or configuration error.
 */
export type ErrorCode =
  | 'IW_CONFIG' // bad environment variable
  | 'IW_USAGE' // bad command-line arguments or values
  | 'IW_INPUT' // a user-supplied file cannot be used at all (missing column, unreadable)
  | 'IW_RULES' // the rule set fails lint
  | 'IW_NOT_FOUND' // a named entity does not exist
  | 'IW_CONFLICT' // a state change that is not allowed (e.g. closing a closed task)
  | 'IW_FORBIDDEN'; // the caller may not see or change this

export class AppError extends Error {
  readonly code: ErrorCode;
  /** Exit status a CLI command should end with when this error reaches it. */
  readonly exitCode: number;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, options: { exitCode?: number; details?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.exitCode = options.exitCode ?? 2;
    this.details = options.details;
  }
}

export class ConfigError extends AppError {
  constructor(message: string) {
    super('IW_CONFIG', message, { exitCode: 2 });
    this.name = 'ConfigError';
  }
}

export class UsageError extends AppError {
  constructor(message: string) {
    super('IW_USAGE', message, { exitCode: 2 });
    this.name = 'UsageError';
  }
}

/** A file that cannot be used at all: names the file (and the missing column, if any). */
export class InputError extends AppError {
  constructor(message: string, details?: unknown) {
    super('IW_INPUT', message, { exitCode: 2, details });
    this.name = 'InputError';
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super('IW_NOT_FOUND', message, { exitCode: 2 });
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super('IW_CONFLICT', message, { exitCode: 1 });
    this.name = 'ConflictError';
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super('IW_FORBIDDEN', message, { exitCode: 2 });
    this.name = 'ForbiddenError';
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
