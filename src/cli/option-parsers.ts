/** Parsers for option and argument values; a bad value is a UsageError (exit 2) naming the option. */
import { UsageError } from '../errors.js';

/** An integer ≥ 1. */
export function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a positive integer, not "${value}"`);
    return n;
  };
}

/** One of `allowed`, as typed. */
export function oneOf<T extends string>(name: string, allowed: readonly T[]) {
  return (value: string): T => {
    if (!allowed.includes(value as T)) throw new UsageError(`${name} must be one of ${allowed.join(', ')}, not "${value}"`);
    return value as T;
  };
}

/** The language of a command's text output: Chinese (the product's, the default) or English (`--lang en`). */
export type CliLang = 'zh' | 'en';

export const langOption = oneOf<CliLang>('--lang', ['zh', 'en']);
