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

const BASE = 'http://x';

/**
 * `path` with its `lang` query parameter set, for the language toggle. A path that does not
 * parse as a path of this server (a crafted URL on an error page, `//host`) gives `/?lang=`.
 */
export function withLang(path: string, lang: Lang): string {
  let url: URL;
  try {
    url = new URL(path, BASE);
  } catch {
    url = new URL('/', BASE);
  }
  if (url.origin !== BASE || url.pathname.startsWith('//')) url = new URL('/', BASE);
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}`;
}
