import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSource } from '../../src/ingest/table-source.js';
import ExcelJS from 'exceljs';

describe('XLSX streaming reader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iw-xlsx-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps Chinese text intact where a character straddles two inflated chunks', async () => {
    // Enough CJK text that many 3-byte characters fall on exceljs's chunk boundaries.
    const file = join(dir, 'many.xlsx');
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false });
    const sheet = workbook.addWorksheet('户信息');
    sheet.addRow(['户编码', '户类型', '村']).commit();
    const words = ['脱贫户', '边缘易致贫户', '脱贫不稳定户', '突发严重困难户'];
    for (let i = 0; i < 6000; i++) sheet.addRow([`H${i}`, words[i % 4], `第${i}村民小组`]).commit();
    await workbook.commit();

    const source = await openSource(file);
    let rows = 0;
    const broken: number[] = [];
    for await (const r of source.rows) {
      rows++;
      if (r.cells?.some((c) => typeof c === 'string' && c.includes('\uFFFD'))) broken.push(r.row);
      if (r.row > 1) expect(r.cells?.[1]).toBe(words[(r.row - 2) % 4]);
    }
    expect(rows).toBe(6001);
    expect(broken).toEqual([]);
  });
});
