/** Parsers for option and argument values; a bad value is a UsageError (exit 2) naming the option. */
import { lookupCode } from '../domain/catalog.js';
import { UsageError } from '../errors.js';
import type { Parsed } from '../ingest/value-parsers.js';

/** An integer ≥ 1. */
export function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError({ zh: `${name} 必须是正整数，而不是 "${value}"`, en: `${name} must be a positive integer, not "${value}"` });
    return n;
  };
}

/** One of `allowed`, as typed. */
export function oneOf<T extends string>(name: string, allowed: readonly T[]) {
  return (value: string): T => {
    if (!allowed.includes(value as T))
      throw new UsageError({
        zh: `${name} 必须是 ${allowed.join('、')} 之一，而不是 "${value}"`,
        en: `${name} must be one of ${allowed.join(', ')}, not "${value}"`,
      });
    return value as T;
  };
}

/** The language of a command's text output: Chinese (the product's, the default) or English (`--lang en`). */
export type CliLang = 'zh' | 'en';

export const langOption = oneOf<CliLang>('--lang', ['zh', 'en']);

/**
 * The `--lang` of a command line as typed (`--lang en`, `--lang=en`), for the messages of errors
 * that stop the command — also those raised while its options are being parsed. Default zh.
 */
export function argvLang(argv: readonly string[]): CliLang {
  let lang: CliLang = 'zh';
  argv.forEach((arg, i) => {
    const value = arg === '--lang' ? argv[i + 1] : arg.startsWith('--lang=') ? arg.slice('--lang='.length) : undefined;
    if (value === 'en' || value === 'zh') lang = value;
  });
  return lang;
}

/**
 * A code of `table` given as the code or its Chinese name (`--channel 农户自主申报`); a bad one
 * names the choices. `what` names the value in Chinese and English.
 */
export function codeOption<T extends Record<string, string>>(name: string, table: T, what: readonly [string, string]) {
  return (value: string): keyof T & string => {
    const code = lookupCode(table, value);
    if (code) return code;
    const choices = Object.entries(table)
      .map(([c, n]) => `${n} (${c})`)
      .join('、');
    throw new UsageError({
      zh: `${name}：未知的${what[0]} "${value}"，可选：${choices}`,
      en: `${name}: unknown ${what[1]} "${value}" (use ${Object.keys(table).join(', ')})`,
    });
  };
}

/** A value read by one of the importer's cell parsers (dates, amounts, lists); its message names the option. */
export function parsedOption<T>(name: string, parse: (cell: string) => Parsed<T>) {
  return (value: string): T => {
    const r = parse(value);
    if (!r.ok) throw new UsageError({ zh: `${name}：${r.texts.zh}`, en: `${name}: ${r.texts.en}` });
    return r.value;
  };
}
