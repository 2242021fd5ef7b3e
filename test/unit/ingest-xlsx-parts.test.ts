/**
 * The XLSX part readers over saxes: cell types as Excel writes them, dates from styles, and the
 * bound on one XML text whatever construct holds it.
 */
import { describe, expect, it } from 'vitest';
import { MAX_XML_TEXT_CHARS } from '../../src/ingest/input-limits.js';
import { readDateStyles, readSharedStrings, readSheetRows, readWorkbook } from '../../src/ingest/xlsx-parts.js';
import { xmlEvents, XmlTextTooLongError } from '../../src/ingest/xml-events.js';

/** The text as chunks of `size` bytes (cutting UTF-8 characters apart). */
async function* chunks(text: string, size = 7): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';

describe('XLSX part readers', () => {
  it('shared strings: plain, rich text runs joined, phonetic runs left out, Chinese split across chunks', async () => {
    const xml = `<sst ${NS}><si><t>户编码</t></si><si><r><t>脱贫</t></r><r><rPr><b/></rPr><t>户</t></r><rPh sb="0" eb="1"><t>ㄊㄨㄛ</t></rPh></si><si/></sst>`;
    const counts: number[] = [];
    expect(await readSharedStrings(chunks(xml), (n) => counts.push(n))).toEqual(['户编码', '脱贫户', '']);
    expect(counts.at(-1)).toBe(3);
  });

  it('sheet rows: each cell type, gaps as null, dates from built-in and custom formats in both date systems', async () => {
    const styles = `<styleSheet ${NS}><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/><numFmt numFmtId="165" formatCode="0.00&quot;元&quot;"/></numFmts>
      <cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
      <cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs></styleSheet>`;
    const dateStyles = await readDateStyles(chunks(styles));
    expect(dateStyles).toEqual([false, true, true, false]);
    const sheet = `<worksheet ${NS}><sheetData>
      <row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><r><t>收入</t></r><r><t>（元）</t></r></is></c></row>
      <row r="3"><c r="A3"><v>1500.5</v></c><c r="B3" t="b"><v>1</v></c><c r="C3" t="e"><v>#N/A</v></c><c r="D3" t="str"><f>A1</f><v>户编码</v></c>
        <c r="E3"><f>1/0</f></c><c r="F3" s="1"><v>45292</v></c><c r="G3" s="2"><v>45292</v></c><c r="H3" s="3"><v>12</v></c><c r="I3" s="1"/></row>
      <row r="4"/>
    </sheetData></worksheet>`;
    const read = async (date1904: boolean) => {
      const rows = [];
      for await (const row of readSheetRows(chunks(sheet), { sharedStrings: ['户编码'], dateStyles, date1904 })) rows.push(row);
      return rows;
    };
    expect(await read(false)).toEqual([
      { row: 1, cells: ['户编码', null, '收入（元）'] },
      { row: 3, cells: [1500.5, true, '#N/A', '户编码', null, new Date('2024-01-01T00:00:00Z'), new Date('2024-01-01T00:00:00Z'), 12] },
      { row: 4, cells: [] },
    ]);
    expect((await read(true))[1]?.cells[5]).toEqual(new Date('2028-01-02T00:00:00Z'));
  });

  it('the workbook part names its first sheet and date system', async () => {
    const xml = `<workbook ${NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr date1904="1"/><sheets><sheet name="户" sheetId="2" r:id="rId7"/><sheet name="b" sheetId="1" r:id="rId1"/></sheets></workbook>`;
    expect(await readWorkbook(chunks(xml))).toEqual({ firstSheetRelId: 'rId7', date1904: true });
  });

  it.each([
    ['a text', (s: string) => `<t>${s}</t>`],
    ['an attribute value', (s: string) => `<c r="${s}"/>`],
    ['a comment', (s: string) => `<!--${s}-->`],
    ['a CDATA section', (s: string) => `<t><![CDATA[${s}]]></t>`],
  ])('%s longer than the limit fails the read; one at the limit passes', async (_what, wrap) => {
    const drain = async (text: string) => {
      for await (const _ of xmlEvents(chunks(`<x>${wrap(text)}</x>`, 65_536))) void _;
    };
    await expect(drain('长'.repeat(MAX_XML_TEXT_CHARS - 20))).resolves.toBeUndefined();
    await expect(drain('a'.repeat(MAX_XML_TEXT_CHARS + 1))).rejects.toBeInstanceOf(XmlTextTooLongError);
  });
});
