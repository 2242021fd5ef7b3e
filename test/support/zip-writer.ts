/**
 * A minimal zip writer for hostile-file tests: entries are deflated as they are generated (so a
 * part of gigabytes costs little memory), and a part may declare a size other than its real one.
 * `repeat` writes the same chunk many times by repeating one independently deflated block (a
 * full flush resets the compressor), so a 2 GB part takes milliseconds to write.
 */
import { writeFileSync } from 'node:fs';
import { constants, crc32, deflateRawSync } from 'node:zlib';

export interface ZipPart {
  name: string;
  /** The part's content; or `repeat` times `chunk` (then the CRC is not computed: readers must refuse before checking it). */
  data: Buffer | { chunk: Buffer; repeat: number; head?: Buffer; tail?: Buffer };
  /** The uncompressed size written in the zip's headers; default the real one. */
  declaredSize?: number;
}

function deflated(part: ZipPart): { body: Buffer; size: number; crc: number } {
  if (Buffer.isBuffer(part.data)) return { body: deflateRawSync(part.data), size: part.data.length, crc: crc32(part.data) };
  const { chunk, repeat, head = Buffer.alloc(0), tail = Buffer.alloc(0) } = part.data;
  const flush = { finishFlush: constants.Z_FULL_FLUSH };
  // Each piece is a complete, byte-aligned deflate block sequence without history: they concatenate.
  const headBlock = deflateRawSync(head, flush);
  const block = deflateRawSync(chunk, flush);
  const end = deflateRawSync(tail);
  const body = Buffer.concat([headBlock, ...Array.from({ length: repeat }, () => block), end]);
  return { body, size: head.length + chunk.length * repeat + tail.length, crc: 0 };
}

/** Writes a zip (deflate, zip64 not needed below 4 GB) with the given parts. */
export function writeZip(path: string, parts: ZipPart[]): void {
  const out: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const { body, size, crc } = deflated(part);
    const declared = part.declaredSize ?? size;
    const name = Buffer.from(part.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(crc >>> 0, 16);
    entry.writeUInt32LE(body.length, 20);
    entry.writeUInt32LE(declared, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name);
    out.push(local, name, body);
    offset += local.length + name.length + body.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(path, Buffer.concat([...out, dir, end]));
}

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** The parts of a minimal workbook with one sheet (`sheetXml`: the sheet part; add sharedStrings yourself). */
export function workbookParts(sheet: ZipPart['data'], sheetDeclaredSize?: number): ZipPart[] {
  return [
    {
      name: '[Content_Types].xml',
      data: Buffer.from(
        `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
      ),
    },
    {
      name: '_rels/.rels',
      data: Buffer.from(
        `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ),
    },
    {
      name: 'xl/workbook.xml',
      data: Buffer.from(
        `${XML}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: Buffer.from(
        `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      ),
    },
    { name: 'xl/worksheets/sheet1.xml', data: sheet, ...(sheetDeclaredSize === undefined ? {} : { declaredSize: sheetDeclaredSize }) },
  ];
}

/** Sheet XML around the given `<row>` elements. */
export function sheetXml(rows: string): Buffer {
  return Buffer.from(`${XML}<worksheet xmlns="${MAIN}"><sheetData>${rows}</sheetData></worksheet>`);
}
