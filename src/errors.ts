/**
 * The few named errors of income-watch. Each has a stable `code`; the faces (CLI, HTTP)
 * map codes to exit statuses and HTTP statuses. Domain code never throws HTTP errors.
 *
 * Exit statuses (README "Commands"): 0 success, 1 the command ran but found problems,
 * 2 a usage or configuration error, 3 PostgreSQL unreachable, 4 Redis unreachable.
 */
export type ErrorCode =
  | 'IW_CONFIG' // bad environment variable
  | 'IW_USAGE' // bad command-line arguments or values
  | 'IW_INPUT' // a user-supplied file cannot be used at all (missing column, unreadable)
  | 'IW_RULES' // the rule set fails lint
  | 'IW_NOT_FOUND' // a named entity does not exist
  | 'IW_CONFLICT' // a state change that is not allowed (e.g. closing a closed task)
  | 'IW_FORBIDDEN' // the caller may not see or change this
  | 'IW_UNAVAILABLE'; // a service (PostgreSQL, Redis) cannot be reached

/**
 * A message for people in both languages: Chinese, the product's language, and English — for
 * `--lang en`, the web's English switch, the API and the logs. Names of files, rows, columns,
 * options, rule ids and JSON pointers stay as they are in both.
 */
export interface Texts {
  zh: string;
  en: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  /** The message in both languages; `message` is the English one (logs, API answers). */
  readonly texts: Texts;
  /** Exit status a CLI command should end with when this error reaches it. */
  readonly exitCode: number;
  readonly details?: unknown;

  /** Every message is written in both languages (test/unit/error-texts.test.ts walks them). */
  constructor(code: ErrorCode, texts: Texts, options: { exitCode?: number; details?: unknown; cause?: unknown } = {}) {
    super(texts.en, options.cause === undefined ? undefined : { cause: options.cause });
    this.texts = texts;
    this.name = 'AppError';
    this.code = code;
    this.exitCode = options.exitCode ?? 2;
    this.details = options.details;
  }
}

/** A bad environment variable: one line naming it, in Chinese and English. */
export class ConfigError extends AppError {
  constructor(message: Texts) {
    super('IW_CONFIG', message, { exitCode: 2 });
    this.name = 'ConfigError';
  }
}

/** Bad arguments or values: the message says which and what is allowed, in Chinese and English. */
export class UsageError extends AppError {
  constructor(message: Texts) {
    super('IW_USAGE', message, { exitCode: 2 });
    this.name = 'UsageError';
  }
}

/** A file that cannot be used at all: names the file (and the missing column, if any). */
export class InputError extends AppError {
  constructor(message: Texts, details?: unknown) {
    super('IW_INPUT', message, { exitCode: 2, details });
    this.name = 'InputError';
  }
}

export class NotFoundError extends AppError {
  /** Names what is missing, in Chinese and English. */
  constructor(message: Texts) {
    super('IW_NOT_FOUND', message, { exitCode: 2 });
    this.name = 'NotFoundError';
  }
}

/** A state change that is not allowed now: the message says why, in Chinese and English. */
export class ConflictError extends AppError {
  constructor(message: Texts) {
    super('IW_CONFLICT', message, { exitCode: 1 });
    this.name = 'ConflictError';
  }
}

/** The caller's role or county does not allow this: the message says what, in Chinese and English. */
export class ForbiddenError extends AppError {
  constructor(message: Texts) {
    super('IW_FORBIDDEN', message, { exitCode: 2 });
    this.name = 'ForbiddenError';
  }
}

/** The services a command may depend on. */
export type ServiceName = 'postgres' | 'redis';

/** Exit status of a command that cannot reach a service: 3 PostgreSQL, 4 Redis. */
export const SERVICE_EXIT_CODES: Readonly<Record<ServiceName, number>> = Object.freeze({ postgres: 3, redis: 4 });

const SERVICE_LABELS: Readonly<Record<ServiceName, { label: string; variable: string }>> = {
  postgres: { label: 'PostgreSQL', variable: 'DATABASE_URL' },
  redis: { label: 'Redis', variable: 'REDIS_URL' },
};

/**
 * A service could not be reached (refused, timed out, host unknown, connection dropped).
 * The message is one line naming the service and its URL with the password masked;
 * the exit status is SERVICE_EXIT_CODES[service].
 */
export class ServiceUnavailableError extends AppError {
  readonly service: ServiceName;

  /**
   * `maskedUrl` must already have its password masked; `reason` is a short cause, the system's
   * own words (e.g. `connect ECONNREFUSED 127.0.0.1:5432`) or `{ zh, en }`.
   */
  constructor(service: ServiceName, maskedUrl: string, reason: string | Texts, options: { cause?: unknown } = {}) {
    const { label, variable } = SERVICE_LABELS[service];
    const why = typeof reason === 'string' ? { zh: reason, en: reason } : reason;
    const texts = {
      zh: `无法连接 ${label}（${maskedUrl}）：${why.zh}；请启动它或检查 ${variable}`,
      en: `${label} is unreachable at ${maskedUrl} (${why.en}); start it or check ${variable}`,
    };
    super('IW_UNAVAILABLE', texts, {
      exitCode: SERVICE_EXIT_CODES[service],
      cause: options.cause,
      details: { service },
    });
    this.name = 'ServiceUnavailableError';
    this.service = service;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** An error's message in the reader's language: Chinese unless `lang` is 'en'. */
export function errorText(error: AppError, lang?: 'zh' | 'en'): string {
  return lang === 'en' ? error.texts.en : error.texts.zh;
}
