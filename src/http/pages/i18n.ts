/**
 * The page language: Simplified Chinese (the product's language, the default) or English (a
 * courtesy toggle: `?lang=en` or `?lang=zh` on any page sets the `lang` cookie). Texts sit
 * side by side where they are shown: `tr(ctx.lang, '待签收', 'Open')`.
 */
export type Lang = 'zh' | 'en';

export const LANG_COOKIE = 'lang';

export function isLang(value: unknown): value is Lang {
  return value === 'zh' || value === 'en';
}

/** The text for the language (Chinese unless `lang` is 'en'). */
export function tr(lang: Lang | undefined, zh: string, en: string): string {
  return lang === 'en' ? en : zh;
}

/** `path` with its `lang` query parameter set, for the language toggle. */
export function withLang(path: string, lang: Lang): string {
  const url = new URL(path, 'http://x');
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}`;
}
