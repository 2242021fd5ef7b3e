/**
 * The inbox and the alert list as XLSX, what a county prints or forwards to its townships:
 * Chinese headers, one row per task or alert, rule names in Chinese, times in Beijing time,
 * the head of household's name masked (ID numbers and phones are not exported at all).
 * Written with exceljs's streaming WorkbookWriter from batches of rows, waiting for the HTTP
 * stream to drain, so memory stays bounded whatever the list's size.
 */
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { maskName } from '../../accounts/masking.js';
import { beijingDateTime } from '../../domain/beijing-time.js';
import { logger } from '../../logger.js';
import type { AlertRow, InboxRow } from '../../views/case-list.repository.js';
import { labelsFor } from '../pages/labels.js';

type Cell = string | number | null;

export interface ExportColumn<R> {
  header: string;
  width: number;
  value(row: R): Cell;
}

const L = labelsFor('zh');
const day = (at: Date | null) => (at ? beijingDateTime(at) : null);

function placeColumns<R extends InboxRow | AlertRow>(): Array<ExportColumn<R>> {
  return [
    { header: '户编码', width: 18, value: (r) => r.householdId },
    { header: '户主（已遮蔽）', width: 12, value: (r) => maskName(r.headName) },
    { header: '区县', width: 10, value: (r) => r.countyName },
    { header: '乡镇', width: 12, value: (r) => r.township },
    { header: '村', width: 12, value: (r) => r.village },
    { header: '户类型', width: 14, value: (r) => L.category(r.category) },
    { header: '主导产业', width: 12, value: (r) => L.industry(r.mainIndustry) },
    { header: '统计期', width: 10, value: (r) => r.period },
  ];
}

export function taskExportColumns(ruleNames: Map<string, string>): Array<ExportColumn<InboxRow>> {
  return [
    { header: '任务编号', width: 10, value: (r) => r.id },
    ...placeColumns<InboxRow>(),
    { header: '预警原因', width: 20, value: (r) => r.causes.map((c) => L.cause(c)).join('、') },
    { header: '预警规则', width: 36, value: (r) => r.ruleIds.map((id) => ruleNames.get(id) ?? id).join('；') },
    { header: '最高等级', width: 8, value: (r) => L.severity(r.maxSeverity) },
    { header: '状态', width: 8, value: (r) => L.taskStatus(r.status) },
    { header: '办结结果', width: 12, value: (r) => (r.outcome ? L.outcome(r.outcome) : null) },
    { header: '截止日期', width: 12, value: (r) => r.dueDate },
    { header: '是否逾期', width: 8, value: (r) => (r.overdue ? '逾期' : '') },
    { header: '创建时间（北京时间）', width: 20, value: (r) => day(r.createdAt) },
    { header: '最后更新（北京时间）', width: 20, value: (r) => day(r.updatedAt) },
  ];
}

export function alertExportColumns(ruleNames: Map<string, string>): Array<ExportColumn<AlertRow>> {
  return [
    { header: '预警编号', width: 10, value: (r) => r.id },
    ...placeColumns<AlertRow>(),
    { header: '预警规则', width: 28, value: (r) => ruleNames.get(r.ruleId) ?? r.ruleId },
    { header: '预警原因', width: 14, value: (r) => L.cause(r.cause) },
    { header: '等级', width: 8, value: (r) => L.severity(r.severity) },
    { header: '状态', width: 8, value: (r) => L.alertStatus(r.status) },
    { header: '办结结果', width: 12, value: (r) => (r.outcome ? L.outcome(r.outcome) : null) },
    { header: '发现时间（北京时间）', width: 20, value: (r) => day(r.createdAt) },
    { header: '解除时间（北京时间）', width: 20, value: (r) => day(r.resolvedAt) },
    { header: '核实任务', width: 10, value: (r) => r.taskId },
    { header: '监测批次', width: 10, value: (r) => r.cycleId },
  ];
}

/**
 * A readable XLSX of `batches` (one sheet, `sheetName`, header row frozen and bold). Rows are
 * written as they come; a failure mid-way ends the stream with the error (the download breaks
 * rather than delivering a silently truncated list).
 */
export function xlsxStream<R>(sheetName: string, columns: Array<ExportColumn<R>>, batches: AsyncIterable<R[]>): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'income-watch';
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  const write = async () => {
    for await (const batch of batches) {
      for (const row of batch) sheet.addRow(columns.map((c) => c.value(row) ?? undefined)).commit();
      // Wait while the client has not taken what was written (bounded memory); stop if it went away.
      if (out.writableNeedDrain) await Promise.race([once(out, 'drain'), once(out, 'close')]);
      if (out.destroyed) return;
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => {
    logger().error({ err: error instanceof Error ? error.message : String(error) }, 'XLSX export failed');
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return out;
}
