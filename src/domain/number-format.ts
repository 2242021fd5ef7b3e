/**
 * How numbers read on pages, in e-mails, in the CLI and in explanations: thousands separators,
 * a true minus sign (U+2212). Amounts (yuan) always carry two decimals (`4,183.43`, `8,300.00`),
 * so that a column of amounts lines up and a county official never wonders about the cents;
 * other numbers (thresholds such as `20%`, hazard levels) show at most two. Pure.
 */

const MINUS = '\u2212';

const AMOUNT = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const NUMBER = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 });

function signed(format: Intl.NumberFormat, value: number, plus: boolean): string {
  const text = format.format(Math.abs(value));
  if (value < 0 && /[1-9]/.test(text)) return `${MINUS}${text}`;
  return plus && value > 0 && /[1-9]/.test(text) ? `+${text}` : text;
}

/** An amount: thousands separators and exactly two decimals (`4,183.43`, `−1,200.00`). */
export function formatAmount(value: number, options: { signed?: boolean } = {}): string {
  return signed(AMOUNT, value, options.signed ?? false);
}

/** Any other number: thousands separators and up to two decimals (`20`, `−15.5`, `8,300`). */
export function formatNumber(value: number, options: { signed?: boolean } = {}): string {
  return signed(NUMBER, value, options.signed ?? false);
}
