/** Parsers for option and argument values; a bad value is a UsageError (exit 2) naming the option. */
import { UsageError } from '../errors.js';

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
