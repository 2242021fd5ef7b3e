/**
 * exceljs, loaded with a fix for its streaming reader. Every module imports exceljs from here.
 *
 * exceljs 4.4 decodes each inflated chunk of sheet XML on its own
 * (lib/utils/parse-sax.js → bufferToString), so a Chinese character whose UTF-8 bytes are
 * split between two chunks becomes U+FFFD (exceljs issues #2063 and #2084, unfixed upstream):
 * about one household row in 2,000 came out as "脱贫��". Before exceljs is first loaded we put
 * a parse-sax into Node's module cache that decodes the whole stream with one streaming
 * TextDecoder; exceljs then uses it everywhere.
 *
 * The same parser bounds memory on hostile files: a text, attribute value or name longer than
 * MAX_XML_TEXT_CHARS (saxes would otherwise gather it whole) fails the read with an error whose
 * `code` is XML_TEXT_TOO_LONG.
 */
import { createRequire, Module } from 'node:module';
import { MAX_XML_TEXT_CHARS } from './input-limits.js';

type ExcelJsModule = typeof import('exceljs');

const require = createRequire(import.meta.url);
const exceljsEntry = require.resolve('exceljs');
const fromExceljs = createRequire(exceljsEntry);
const parseSaxPath = fromExceljs.resolve('./lib/utils/parse-sax.js');

/** `code` of the error thrown when one XML text is longer than MAX_XML_TEXT_CHARS. */
export const XML_TEXT_TOO_LONG = 'IW_XML_TEXT_TOO_LONG';

interface SaxEvent {
  eventType: 'opentag' | 'text' | 'closetag';
  value: unknown;
}

/** Same contract as exceljs's parse-sax: yields the SAX events of each chunk, in order. */
async function* parseSax(iterable: AsyncIterable<Buffer | string>): AsyncGenerator<SaxEvent[]> {
  const { SaxesParser } = fromExceljs('saxes') as typeof import('saxes');
  const parser = new SaxesParser();
  const decoder = new TextDecoder('utf-8');
  let error: Error | undefined;
  let events: SaxEvent[] = [];
  parser.on('error', (e: Error) => {
    error = e;
  });
  parser.on('opentag', (value: unknown) => events.push({ eventType: 'opentag', value }));
  parser.on('text', (value: unknown) => events.push({ eventType: 'text', value }));
  parser.on('closetag', (value: unknown) => events.push({ eventType: 'closetag', value }));
  for await (const chunk of iterable) {
    parser.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    if (error) throw error;
    // saxes gathers the text (or attribute value, comment, CDATA) being read in `text`, a tag
    // or attribute name in `name`.
    const gathering = parser as unknown as { text: string; name: string };
    if (gathering.text.length > MAX_XML_TEXT_CHARS || gathering.name.length > MAX_XML_TEXT_CHARS) {
      throw Object.assign(new Error('an XML text is longer than the limit'), { code: XML_TEXT_TOO_LONG });
    }
    yield events;
    events = [];
  }
  const rest = decoder.decode();
  if (rest) parser.write(rest);
  if (error) throw error;
  yield events;
}

if (require.cache[parseSaxPath]) {
  // exceljs was loaded around this module: its reader would still split characters.
  throw new Error('exceljs was loaded before src/lib/exceljs.ts; import exceljs only through src/lib/exceljs.ts');
}
const patched = new Module(parseSaxPath);
patched.filename = parseSaxPath;
patched.loaded = true;
patched.exports = parseSax;
require.cache[parseSaxPath] = patched;

const ExcelJS = require('exceljs') as ExcelJsModule;
export default ExcelJS;
