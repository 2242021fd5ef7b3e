/**
 * The `next` rule of sign-in: only a path of this server, normalised by the WHATWG URL
 * parser; every known way of smuggling another origin past a "starts with /" check is refused.
 */
import { describe, expect, it } from 'vitest';
import { safeRedirectPath } from '../../src/http/redirect-target.js';

const ORIGIN = 'https://iw.example.cn';

/** Values as the server sees them (query decoding already done). */
export const REDIRECT_BYPASSES: readonly string[] = [
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r/evil.example',
  '/\r\n/evil.example',
  '/\0/evil.example',
  '/\\evil.example',
  '\\/evil.example',
  '/\\/evil.example',
  '/%2F%2Fevil.example',
  '/%2f/evil.example',
  '/%5Cevil.example',
  '/%5c%5cevil.example',
  '/%09/evil.example',
  '//evil.example',
  '///evil.example',
  '/.//evil.example',
  'https://evil.example',
  'https:evil.example',
  '//evil.example/tasks/1',
  '/／evil。example',
  '/。evil.example',
  '/\uFF0F\uFF0Fevil.example', // full-width solidus twice
  '\uFF0F\uFF0Fevil.example',
  'javascript:alert(1)',
  ' /inbox',
  'evil.example',
  '',
  '/' + 'a'.repeat(3000),
];

describe('safeRedirectPath', () => {
  for (const next of REDIRECT_BYPASSES) {
    it(`refuses ${JSON.stringify(next.slice(0, 40))}`, () => {
      expect(safeRedirectPath(next, ORIGIN)).toBeNull();
    });
  }

  it('keeps a path of this server, with its query and fragment', () => {
    expect(safeRedirectPath('/tasks/123?x=1', ORIGIN)).toBe('/tasks/123?x=1');
    expect(safeRedirectPath('/inbox?county=131022&status=all#top', ORIGIN)).toBe('/inbox?county=131022&status=all#top');
    expect(safeRedirectPath('/inbox?township=%E6%9F%B3%E6%B3%89%E9%95%87', ORIGIN)).toBe('/inbox?township=%E6%9F%B3%E6%B3%89%E9%95%87');
    expect(safeRedirectPath('/a/../tasks/1', ORIGIN)).toBe('/tasks/1');
  });

  it('refuses non-strings', () => {
    for (const value of [undefined, null, 1, ['/inbox'], { href: '/inbox' }]) expect(safeRedirectPath(value, ORIGIN)).toBeNull();
  });
});
