/**
 * Finding URLs of other hosts in what the server sends (HTML, CSS, JavaScript, JSON), for the
 * intranet tests: an office network may have no Internet, so no page may depend on one.
 */

/**
 * URLs that may appear in the assets though they point elsewhere, because no browser ever
 * requests them. Each says why. Anything else of another host fails the tests; an entry no
 * longer found fails them too, so the list stays no longer than what is shipped.
 */
export const ALLOWED_EXTERNAL: Readonly<Record<string, string>> = {
  // XML namespace names: identifiers compared as strings by the DOM, never fetched.
  'http://www.w3.org/2000/svg': 'SVG namespace (React, SVG icons of the queue view)',
  'http://www.w3.org/1999/xlink': 'XLink namespace (React)',
  'http://www.w3.org/1998/Math/MathML': 'MathML namespace (React)',
  'http://www.w3.org/XML/1998/namespace': 'XML namespace (React)',
  'http://www.w3.org/1999/xhtml': 'XHTML namespace (React, React Flow)',
  'http://www.w3.org/2000/xmlns/': 'xmlns namespace (React Flow)',
  // A schema identifier: compared as a string by the queue view's JSON-schema validator, never fetched.
  'http://json-schema.org/draft-07/schema#': 'JSON Schema draft-07 $schema identifier',
  // A placeholder origin: the queue view parses its own relative paths with `new URL(path, "http://fake.com")`.
  'http://fake.com': 'base URL for parsing relative paths (Bull Board), never requested',
  'http://localhost': 'axios: base URL for parsing when not running in a browser',
  // A template: linkify-it makes a link of an address written without scheme in a job's data.
  'http://${e.url}': 'linkify-it: the link of a schemeless address shown in job data',
  // Text of error messages for developers (thrown in the console only), not loaded.
  'https://react.dev/errors/': 'React production error message',
  'http://fb.me/use-check-prop-types': 'React prop-types warning text',
  'https://reactjs.org/docs/forms.html#controlled-components': 'React warning text',
  'https://base-ui.com/production-error': 'Base UI production error message',
  'https://react.i18next.com/latest/usetranslation-hook': 'react-i18next warning text',
  'https://redux.js.org/Errors?code=${e}': 'Redux production error message',
  'https://redux-toolkit.js.org/Errors?code=${e}': 'Redux Toolkit production error message',
  'https://bit.ly/3cXEKWf': 'Immer error message',
  'https://${e}flow.dev/error#001': 'React Flow error message',
  'https://github.com/highlightjs/highlight.js/issues/2277': 'highlight.js console warning text',
  'https://github.com/highlightjs/highlight.js/wiki/security': 'highlight.js console warning text',
  // Links an admin may click in the queue view (they open a new tab; nothing is loaded by the page).
  'https://github.com/felixmosh/bull-board/releases': 'queue view: version link',
  'https://felixmosh.github.io/bull-board/': 'queue view: documentation link',
  'https://reactflow.dev/': 'queue view: React Flow attribution link',
  'https://reactflow.dev?utm_source=attribution': 'queue view: React Flow attribution link',
  // License banners (comments) that the MIT licence asks to keep with the code.
  'https://www.chartjs.org': 'Chart.js licence banner',
  'https://github.com/kurkle/color#readme': 'Chart.js licence banner (@kurkle/color)',
  'https://github.com/MikeMcl/decimal.js-light/LICENCE': "licence text file beside the queue view's bundle, no page loads it",
};

/**
 * Absolute `http(s)://…` URLs anywhere in the text (also right after an escape such as `\n`), and protocol-relative `//host.tld…` ones
 * where a URL starts (after a quote, `(` or `=`): `//` alone is also a JavaScript comment.
 */
const URL_PATTERN = /https?:\/\/[^\s"'`)<>\\]+|(?<=["'(=]\s*)\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)+[^\s"'`)<>\\]*/gi;

/** The URLs in `text` whose host is not `ownHost` (e.g. `127.0.0.1:3000`). */
export function externalUrls(text: string, ownHost: string): string[] {
  const found = new Set<string>();
  for (const [match] of text.matchAll(URL_PATTERN)) {
    const url = match.replace(/[.,;:]+$/, '');
    const host = /^(?:https?:)?\/\/([^/?#]+)/i.exec(url)?.[1];
    if (host && host.toLowerCase() !== ownHost.toLowerCase()) found.add(url);
  }
  return [...found];
}

/** Assets a page or stylesheet refers to: `src`, `<link href>`, CSS `url(…)` and `@import`. */
export function referencedAssets(text: string, kind: 'html' | 'css'): string[] {
  const refs =
    kind === 'html'
      ? [
          ...[...text.matchAll(/<(?:script|img|source|iframe|audio|video|embed)\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]!),
          ...[...text.matchAll(/<link\b[^>]*\bhref\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]!),
          ...[...text.matchAll(/\burl\(\s*["']?([^"')]+)["']?\s*\)/gi)].map((m) => m[1]!),
        ]
      : [
          ...[...text.matchAll(/\burl\(\s*["']?([^"')]+)["']?\s*\)/gi)].map((m) => m[1]!),
          ...[...text.matchAll(/@import\s+["']([^"']+)["']/gi)].map((m) => m[1]!),
        ];
  return refs.map((r) => r.replace(/&amp;/g, '&')).filter((r) => !r.startsWith('data:') && !r.startsWith('#'));
}
