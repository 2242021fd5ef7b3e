/**
 * Every user-facing error speaks Chinese and English: each named error takes `{ zh, en }`
 * (a plain string does not compile), keeps both, answers `message` in English (logs, API) and
 * `errorText` in the reader's language. The source walk fails on any error built from a bare
 * string, whatever its type says, and on a "Chinese" text that is the English one again.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type AppError,
  ConfigError,
  ConflictError,
  errorText,
  ForbiddenError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
  UsageError,
} from '../../src/errors.js';
import { ruleSetError } from '../../src/rules/rule-set.loader.js';

const texts = { zh: '户 H1 不存在', en: 'household H1 not found' };

const NAMED: Array<[string, (t: typeof texts) => AppError, string, number]> = [
  ['ConfigError', (t) => new ConfigError(t), 'IW_CONFIG', 2],
  ['UsageError', (t) => new UsageError(t), 'IW_USAGE', 2],
  ['InputError', (t) => new InputError(t), 'IW_INPUT', 2],
  ['NotFoundError', (t) => new NotFoundError(t), 'IW_NOT_FOUND', 2],
  ['ConflictError', (t) => new ConflictError(t), 'IW_CONFLICT', 1],
  ['ForbiddenError', (t) => new ForbiddenError(t), 'IW_FORBIDDEN', 2],
];

describe('error texts', () => {
  it.each(NAMED)('%s keeps both languages: message in English, errorText Chinese unless en', (_name, make, code, exitCode) => {
    const error = make(texts);
    expect(error).toMatchObject({ code, exitCode, texts, message: texts.en });
    expect(errorText(error)).toBe(texts.zh);
    expect(errorText(error, 'zh')).toBe(texts.zh);
    expect(errorText(error, 'en')).toBe(texts.en);
  });

  it('refuses a plain string at compile time', () => {
    // @ts-expect-error a message is { zh, en }
    expect(new UsageError('only English').texts.zh).toBeUndefined();
    // @ts-expect-error a message is { zh, en }
    expect(() => new NotFoundError('no user x').texts.zh.length).toThrow(TypeError);
  });

  it('names an unreachable service in Chinese and English, the masked URL and the variable verbatim', () => {
    const error = new ServiceUnavailableError('postgres', 'postgres://iw:***@db:5432/iw', 'connect ECONNREFUSED 10.0.0.5:5432');
    expect(error.texts).toEqual({
      zh: '无法连接 PostgreSQL（postgres://iw:***@db:5432/iw）：connect ECONNREFUSED 10.0.0.5:5432；请启动它或检查 DATABASE_URL',
      en: 'PostgreSQL is unreachable at postgres://iw:***@db:5432/iw (connect ECONNREFUSED 10.0.0.5:5432); start it or check DATABASE_URL',
    });
    const timeout = new ServiceUnavailableError('redis', 'redis://cache:6379', {
      zh: '5000 毫秒内没有应答',
      en: 'no answer within 5000 ms',
    });
    expect(errorText(timeout)).toBe('无法连接 Redis（redis://cache:6379）：5000 毫秒内没有应答；请启动它或检查 REDIS_URL');
  });

  it('writes a rule set that fails lint in Chinese, the file and pointer as they are', () => {
    const report = {
      errors: [
        { file: 'a.json', pointer: '/priority', message: 'must be number' },
        { file: 'b.json', pointer: '', message: 'the rule set has no rules' },
      ],
      warnings: [],
    };
    const error = ruleSetError('rules', report as never);
    expect(error.texts).toEqual({
      zh: '规则集 rules 有错误：a.json /priority：必须是数字（另有 1 处错误，请运行 "income-watch rules lint --dir rules"）',
      en: 'rule set rules is invalid: a.json /priority: must be number (and 1 more; run "income-watch rules lint --dir rules")',
    });
  });

  it('no error in src is built from a bare string, and no Chinese text repeats the English one', () => {
    const root = join(import.meta.dirname, '..', '..', 'src');
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => join(root, f));
    const bare = /new (?:Config|Usage|Input|NotFound|Conflict|Forbidden)Error\(\s*[`'"]|new AppError\(\s*'IW_[A-Z_]+',\s*[`'"]/g;
    const sameBoth = /zh: (`[^`]*`|'[^']*'),\s*en: \1/g;
    const found: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(bare)) found.push(`${relative(root, file)}: ${m[0]}`);
      for (const m of text.matchAll(sameBoth)) found.push(`${relative(root, file)}: ${m[0]}`);
    }
    expect(found).toEqual([]);
  });
});
