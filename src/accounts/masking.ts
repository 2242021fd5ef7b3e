/**
 * Masking of personal data (README "Personal data"): ID numbers `1310**********1234`,
 * phones `138****1234`, names `张*`. Pure; null stays null.
 */

/** Keeps the first four and last four characters of an ID number. */
export function maskIdNumber(value: string | null): string | null {
  if (value === null || value === '') return value;
  if (value.length <= 8) return '*'.repeat(value.length);
  return `${value.slice(0, 4)}${'*'.repeat(value.length - 8)}${value.slice(-4)}`;
}

/** Keeps the first three and last four digits of a phone number. */
export function maskPhone(value: string | null): string | null {
  if (value === null || value === '') return value;
  if (value.length <= 7) return '*'.repeat(value.length);
  return `${value.slice(0, 3)}${'*'.repeat(value.length - 7)}${value.slice(-4)}`;
}

/** Keeps the first character (the family name) of a name. */
export function maskName(value: string | null): string | null {
  if (value === null || value === '') return value;
  const chars = [...value];
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

export interface PersonalData {
  headName: string | null;
  idNumber: string | null;
  phone: string | null;
}

/** The personal fields of a household, masked. */
export function maskPersonal(data: PersonalData): PersonalData {
  return { headName: maskName(data.headName), idNumber: maskIdNumber(data.idNumber), phone: maskPhone(data.phone) };
}
