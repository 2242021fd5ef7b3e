/**
 * Where to go after sign-in (`next`): only a path of this server. Browsers repair what they
 * are sent (`/\t/evil.example` becomes `//evil.example`, `\` becomes `/`), so anything a
 * browser might read as another origin is refused rather than cleaned up.
 */

/** Longest `next` kept; longer values fall back to the landing page. */
export const MAX_NEXT_LENGTH = 2048;

/** Printable ASCII without backslash: our own `next` values are percent-encoded request URLs. */
const ALLOWED = /^[\x21-\x5b\x5d-\x7e]*$/;
/** Encoded slash, backslash or control character in the path: some proxies decode them. */
const ENCODED_SEPARATOR_OR_CONTROL = /%(?:2f|5c|[01][0-9a-f]|7f)/i;

/**
 * `next` as a same-origin path (`/tasks/123?x=1`), normalised by the WHATWG URL parser, or
 * null when it is missing or unsafe: not a string starting with a single `/`, non-printable or
 * non-ASCII characters, a backslash, an encoded slash/backslash/control character in the
 * path, or a URL that resolves to another origin than `origin` (the server's own).
 */
export function safeRedirectPath(next: unknown, origin: string): string | null {
  if (typeof next !== 'string' || next.length === 0 || next.length > MAX_NEXT_LENGTH) return null;
  if (!ALLOWED.test(next) || !next.startsWith('/') || next.startsWith('//')) return null;
  const path = next.split(/[?#]/, 1)[0]!;
  if (ENCODED_SEPARATOR_OR_CONTROL.test(path)) return null;
  let url: URL;
  let own: URL;
  try {
    own = new URL(origin);
    url = new URL(next, own.origin);
  } catch {
    return null;
  }
  if (url.origin !== own.origin) return null;
  const result = `${url.pathname}${url.search}${url.hash}`;
  // The serialisation must still be a single-slash path (e.g. `/.//x` normalises to `//x`).
  return result.startsWith('/') && !result.startsWith('//') ? result : null;
}
