/**
 * The report as an XLSX workbook (exceljs): one sheet per part, named in Chinese, each with the
 * report's title in row 1 and its first table's header in row 2, both frozen; further tables
 * follow below, each after a blank row, a title row and its header. Number formats: yuan
 * `#,##0.00`, percentages `0.00%` (the cell holds the fraction: −12.5 % is −0.125), days
 * `0.00`, prices `0.00##`, counts `#,##0`. Column widths come from the layout
 * (report.tables.ts). Only masked personal data reaches it.
 */
import ExcelJS from 'exceljs';
import { reportSheets, reportTitle, type CellValue, type ColumnKind } from './report.tables.js';
import type { Report } from './report.types.js';

const FORMATS: Record<ColumnKind, string | undefined> = {
  text: undefined,
  int: '#,##0',
  yuan: '#,##0.00',
  pct: '0.00%',
  days: '0.00',
  price: '0.00##',
};

/** The cell value as stored: percentages as fractions (so that `0.00%` shows them right). */
function stored(kind: ColumnKind, value: CellValue): ExcelJS.CellValue {
  if (value === null) return null;
  if (kind === 'pct' && typeof value === 'number') return Math.round(value * 100) / 10_000;
  return value;
}

/** The workbook's bytes. Deterministic for the same report (fixed creation dates: `generatedAt`). */
export async function reportWorkbook(report: Report): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'income-watch';
  workbook.created = new Date(report.generatedAt);
  workbook.modified = new Date(report.generatedAt);
  const title = reportTitle(report);
  for (const part of reportSheets(report)) {
    const sheet = workbook.addWorksheet(part.name, { views: [{ state: 'frozen', ySplit: 2 }] });
    const widths: number[] = [];
    sheet.getCell(1, 1).value = title;
    sheet.getRow(1).font = { bold: true, size: 13 };
    let row = 2;
    part.tables.forEach((table, index) => {
      if (index > 0) {
        row++;
        sheet.getCell(row, 1).value = table.title;
        sheet.getRow(row).font = { bold: true };
        row++;
      }
      const header = sheet.getRow(row);
      table.columns.forEach((c, i) => {
        header.getCell(i + 1).value = c.header;
        widths[i] = Math.max(widths[i] ?? 0, c.width);
      });
      header.font = { bold: true };
      header.alignment = { wrapText: true, vertical: 'middle' };
      const rows = table.totalRow ? [...table.rows, table.totalRow] : table.rows;
      for (const values of rows) {
        row++;
        const line = sheet.getRow(row);
        table.columns.forEach((c, i) => {
          const cell = line.getCell(i + 1);
          cell.value = stored(c.kind, values[i] ?? null);
          const format = FORMATS[c.kind];
          if (format) cell.numFmt = format;
        });
        if (values === table.totalRow) line.font = { bold: true };
      }
      row++;
    });
    widths.forEach((w, i) => (sheet.getColumn(i + 1).width = w));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
