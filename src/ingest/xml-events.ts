/**
 * The SAX events of a streamed XML part, through saxes's public API. Bytes are decoded with one
 * streaming TextDecoder for the whole part, so a multi-byte UTF-8 character split between two
 * inflated chunks stays whole (the bug exceljs's streaming reader has: exceljs #2063, #2084).
 *
 * Memory stays bounded on hostile parts: saxes gathers a text, attribute value, comment or name
 * whole before it reports it, so a part that goes more than MAX_XML_TEXT_CHARS characters
 * without an event fails the read with XmlTextTooLongError.
 */
import { SaxesParser } from 'saxes';
import { MAX_XML_TEXT_CHARS } from './input-limits.js';

/** One SAX event; element and attribute names keep their prefix (`r:id`). */
export type XmlEvent =
  { kind: 'open'; name: string; attributes: Record<string, string> } | { kind: 'text'; text: string } | { kind: 'close'; name: string };

/** Thrown when the XML goes more than MAX_XML_TEXT_CHARS characters without an event. */
export class XmlTextTooLongError extends Error {
  constructor() {
    super(`an XML text is longer than ${MAX_XML_TEXT_CHARS} characters`);
  }
}

/** An element's name without its namespace prefix (`x:row` → `row`). */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/**
 * Yields the events of `chunks` (the bytes of one XML document), one batch per chunk, in
 * document order. A malformed document throws saxes's error.
 */
export async function* xmlEvents(chunks: AsyncIterable<Buffer>): AsyncGenerator<XmlEvent[]> {
  const parser = new SaxesParser();
  const decoder = new TextDecoder('utf-8');
  let events: XmlEvent[] = [];
  let error: Error | undefined;
  // Stream position (in UTF-16 code units) of the last event: what saxes may be gathering lies
  // after it. saxes's `position` is exact inside a handler; the characters written are counted here.
  let lastEventAt = 0;
  let written = 0;
  const seen = () => {
    if (parser.position - lastEventAt > MAX_XML_TEXT_CHARS) error ??= new XmlTextTooLongError();
    lastEventAt = parser.position;
  };
  parser.on('error', (e) => {
    error ??= e;
  });
  // Each event checks the characters since the one before; the check after each chunk catches
  // what saxes is still gathering, so it never holds more than the limit and one chunk.
  parser.on('opentag', (tag) => {
    seen();
    events.push({ kind: 'open', name: tag.name, attributes: tag.attributes });
  });
  parser.on('closetag', (tag) => {
    seen();
    events.push({ kind: 'close', name: tag.name });
  });
  parser.on('text', (text) => {
    seen();
    events.push({ kind: 'text', text });
  });
  parser.on('cdata', (text) => {
    seen();
    events.push({ kind: 'text', text });
  });
  parser.on('attribute', seen);
  parser.on('comment', seen);
  parser.on('processinginstruction', seen);
  parser.on('doctype', seen);
  parser.on('xmldecl', seen);
  const write = (text: string) => {
    parser.write(text);
    written += text.length;
    if (error) throw error;
    if (written - lastEventAt > MAX_XML_TEXT_CHARS) throw new XmlTextTooLongError();
  };
  for await (const chunk of chunks) {
    write(decoder.decode(chunk, { stream: true }));
    yield events;
    events = [];
  }
  write(decoder.decode());
  parser.close();
  if (error) throw error;
  yield events;
}
