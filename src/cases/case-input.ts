/**
 * Checks of what county staff enter by hand (leads, assistance measures): each refusal names
 * the field, in Chinese (the CLI's and the pages' language) and English. Pure.
 */
import { beijingDay, isCalendarDay } from '../domain/beijing-time.js';
import { NotFoundError, UsageError } from '../errors.js';

/** A value a user entered that cannot be used: the field, and the reason in both languages (`texts`). */
export class FieldInputError extends UsageError {
  constructor(
    readonly field: string,
    zh: string,
    en: string,
  ) {
    super({ zh, en });
    this.name = 'FieldInputError';
  }
}

/** A household that is unknown or outside the caller's county (the same answer for both). */
export function householdNotFound(householdId: string): NotFoundError {
  return new NotFoundError({ zh: `户 ${householdId} 不存在或不属于本县`, en: `household ${householdId} not found` });
}

/** A calendar day `YYYY-MM-DD` not after today (Beijing). */
export function checkDay(field: string, label: [string, string], value: string, now: Date): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!m || !isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw new FieldInputError(
      field,
      `${label[0]}“${value}”不是有效日期（格式 YYYY-MM-DD）`,
      `${label[1]} "${value}" is not a date (YYYY-MM-DD)`,
    );
  }
  const day = value.trim();
  if (day > beijingDay(now)) {
    throw new FieldInputError(field, `${label[0]} ${day} 晚于今天`, `${label[1]} ${day} is after today`);
  }
  return day;
}

/** Optional free text: trimmed, blank → null, at most `max` characters, no control characters but line breaks. */
export function checkText(field: string, label: [string, string], value: string | null | undefined, max: number): string | null {
  const text = value?.trim() ?? '';
  if (text === '') return null;
  if (text.length > max)
    throw new FieldInputError(field, `${label[0]}不能超过 ${max} 个字`, `${label[1]} is longer than ${max} characters`);
  if (/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]/.test(text)) {
    throw new FieldInputError(field, `${label[0]}含有控制字符`, `${label[1]} contains control characters`);
  }
  return text;
}

/** A code of `table`; the refusal lists the choices by name and code. */
export function checkCode<T extends Record<string, string>>(
  field: string,
  label: [string, string],
  table: T,
  value: string | undefined,
): keyof T & string {
  if (value && Object.hasOwn(table, value)) return value as keyof T & string;
  const choices = Object.entries(table)
    .map(([code, name]) => `${name} (${code})`)
    .join('、');
  if (!value)
    throw new FieldInputError(field, `请选择${label[0]}：${choices}`, `${label[1]} is missing (${Object.keys(table).join(', ')})`);
  throw new FieldInputError(
    field,
    `${label[0]}“${value}”无效，可选：${choices}`,
    `unknown ${label[1]} "${value}" (use ${Object.keys(table).join(', ')})`,
  );
}
