/**
 * The only reader of `process.env`. Parses and validates every variable once, then freezes
 * the result. A bad value throws a ConfigError naming the variable (the CLI exits 2).
 *
 * Only entry points call getConfig() (the CLI through src/cli/session.ts, which also starts the
 * worker and the web server); services and repositories receive the values they need as
 * arguments. test/unit/env-access.test.ts fails on any other reader of `process.env`.
 */
import { z } from 'zod';
import { ConfigError } from './errors.js';

/**
 * The Chinese of each English refusal below, keyed by the English (zod carries one string per
 * check): `said('必须是…', 'must be …')` records both and gives zod the English.
 */
const ZH = new Map<string, string>();
const said = (zh: string, en: string): string => {
  ZH.set(en, zh);
  return en;
};

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    said(
      `必须是以 ${protocols.map((p) => `${p}//`).join(' 或 ')} 开头的 URL`,
      `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    ),
  );

const WHOLE_MS = said('必须是整数毫秒数', 'must be a whole number of milliseconds');

const cronField = /^[\d*/,\-?LW#A-Za-z]+$/;

const cron = (example: string) =>
  z.string().refine(
    (v) => {
      const parts = v.trim().split(/\s+/);
      return (parts.length === 5 || parts.length === 6) && parts.every((p) => cronField.test(p));
    },
    said(`必须是 5 或 6 个字段的 cron 表达式，例如 "${example}"`, `must be a cron expression with 5 or 6 fields, e.g. "${example}"`),
  );

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const schema = z.object({
  DATABASE_URL: url(['postgres:', 'postgresql:']).default('postgres://postgres@127.0.0.1:5432/income_watch'),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]+$/, said('只能包含字母、数字和 _ . : -', 'may contain only letters, digits and _ . : -'))
    .default('income-watch'),
  SMTP_URL: url(['smtp:', 'smtps:']).optional(),
  MAIL_FROM: z
    .string()
    .regex(/^[^\s@]+@[^\s@]+$/, said('必须是电子邮件地址', 'must be an e-mail address'))
    .default('income-watch@localhost'),
  RULES_DIR: z.string().min(1).default('rules'),
  RULES_DRAFT_DIR: z.string().min(1).optional(),
  CYCLE_CRON: cron('0 2 5 * *').default('0 2 5 * *'),
  REPORT_CRON: cron('0 8 6 * *').default('0 8 6 * *'),
  CYCLE_TZ: z
    .string()
    .refine(
      (tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      },
      said('必须是 IANA 时区，例如 Asia/Shanghai', 'must be an IANA time zone such as Asia/Shanghai'),
    )
    .default('Asia/Shanghai'),
  RECONCILE_EVERY_MS: z
    .string()
    .regex(/^\d+$/, WHOLE_MS)
    .transform(Number)
    .refine(
      (ms) => ms >= 1000 && ms <= 86_400_000,
      said('必须在 1000（1 秒）到 86400000（1 天）之间', 'must be between 1000 (1 s) and 86400000 (1 day)'),
    )
    .default(60_000),
  PUBLIC_URL: url(['http:', 'https:']).default('http://127.0.0.1:3000'),
  TRUST_PROXY: z
    .string()
    .regex(
      /^(true|false|\d{1,2}|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/,
      said(
        '必须是 true、false、代理层数，或以逗号分隔的代理地址/CIDR',
        'must be true, false, a hop count, or proxy addresses/CIDRs separated by commas',
      ),
    )
    .optional(),
  CONNECT_TIMEOUT_MS: z
    .string()
    .regex(/^\d+$/, WHOLE_MS)
    .transform(Number)
    .refine((ms) => ms >= 100 && ms <= 600_000, said('必须在 100 到 600000（毫秒）之间', 'must be between 100 and 600000 (milliseconds)'))
    .default(5000),
  CSRF_SECRET: z
    .string()
    .min(
      32,
      said('至少需要 32 个字符（例如 `openssl rand -base64 32`）', 'must have at least 32 characters (e.g. `openssl rand -base64 32`)'),
    )
    .optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, said(`必须是 ${LOG_LEVELS.join('、')} 之一`, `must be one of ${LOG_LEVELS.join(', ')}`)).default('info'),
  INCOME_WATCH_USER: z
    .string()
    .max(64, said('必须是账号名（最多 64 个字符）', 'must be an account name (at most 64 characters)'))
    .optional(),
});

export interface Config {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly queuePrefix: string;
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  readonly rulesDir: string;
  /** A draft rule directory the web rules page previews against the active set (read-only); unset = none. */
  readonly rulesDraftDir: string | undefined;
  readonly cycleCron: string;
  readonly cycleTz: string;
  /** When the monthly analysis report is built and mailed (cron, Beijing time); default the 6th at 08:00. */
  readonly reportCron: string;
  /**
   * How often each worker checks the queue against the database (ms): cycles whose jobs Redis
   * lost are enqueued again, cycles whose batches are all done are completed.
   */
  readonly reconcileEveryMs: number;
  readonly publicUrl: string;
  /**
   * Which reverse proxies `serve` trusts for the client address (X-Forwarded-For): false (default),
   * true (any), a hop count, or a list of proxy addresses/CIDRs. Login throttling per IP needs it behind a proxy.
   */
  readonly trustProxy: boolean | number | string[];
  /**
   * Keys the CSRF tokens of the web forms (HMAC); unset = a random key per `serve` process, so
   * forms opened before a restart, or served by another process, must be sent again.
   */
  readonly csrfSecret: string | undefined;
  readonly logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  /** The account CLI workflow commands act as when `--user` is not given (scripts); unset = none. */
  readonly actingUser: string | undefined;
  /**
   * How long a command waits for PostgreSQL or Redis to answer when it starts (ms, default 5000):
   * past it, the command names the unreachable service and exits 3 (PostgreSQL) or 4 (Redis).
   */
  readonly connectTimeoutMs: number;
}

/** Parses an environment (default `process.env`); empty strings count as unset. */
export function parseConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') input[key] = value.trim();
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const variable = String(issue.path[0]);
    const given = `${variable}=${JSON.stringify(input[variable] ?? '')}`;
    throw new ConfigError({
      zh: `配置错误：${given} ${ZH.get(issue.message) ?? `无效（${issue.message}）`}`,
      en: `configuration: ${given} ${issue.message}`,
    });
  }
  const c = result.data;
  return Object.freeze({
    databaseUrl: c.DATABASE_URL,
    redisUrl: c.REDIS_URL,
    queuePrefix: c.QUEUE_PREFIX,
    smtpUrl: c.SMTP_URL,
    mailFrom: c.MAIL_FROM,
    rulesDir: c.RULES_DIR,
    rulesDraftDir: c.RULES_DRAFT_DIR,
    cycleCron: c.CYCLE_CRON,
    cycleTz: c.CYCLE_TZ,
    reportCron: c.REPORT_CRON,
    reconcileEveryMs: c.RECONCILE_EVERY_MS,
    publicUrl: c.PUBLIC_URL.replace(/\/+$/, ''),
    trustProxy: parseTrustProxy(c.TRUST_PROXY),
    csrfSecret: c.CSRF_SECRET,
    logLevel: c.LOG_LEVEL,
    actingUser: c.INCOME_WATCH_USER,
    connectTimeoutMs: c.CONNECT_TIMEOUT_MS,
  });
}

function parseTrustProxy(value: string | undefined): boolean | number | string[] {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((v) => v.trim());
}

let cached: Config | undefined;

/** The process's configuration, read once. For entry points only (see the file comment). */
export function getConfig(): Config {
  cached ??= parseConfig();
  return cached;
}
