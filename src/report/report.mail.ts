/**
 * The monthly report by mail: builds the city report and one per county and puts each, as an
 * XLSX attachment, in the outbox for its recipients (routing.json `reports`). Sends nothing:
 * the notifier delivers the rows like every other mail.
 *
 * Exactly once: a report's key is `report:<period>:<as-of day>:<city|county code>`. Its
 * workbook is stored in `mail_attachments` under that key in the same transaction as its outbox
 * rows (one per recipient and key); a second run — a redelivered job, a restarted worker, a
 * second process — finds the key taken and writes nothing. The bytes are stored, not rebuilt:
 * every retry and a restart mid-send send the file the first run built.
 */
import type { Db } from '../db/database.js';
import { beijingDay } from '../domain/beijing-time.js';
import { logger } from '../logger.js';
import { renderHtml, renderText, type MailDocument } from '../notify/mail-layout.template.js';
import { counties as loadCounties } from '../notify/notify-source.repository.js';
import { insertAttachment, insertNotifications } from '../notify/outbox.repository.js';
import { expandCityRecipients, expandRecipients } from '../notify/routing.policy.js';
import type { RoutingPolicy } from '../notify/routing.schema.js';
import { reportSummary } from './report-summary.js';
import { buildReport, reportPeriod } from './report.service.js';
import type { Report } from './report.types.js';
import { reportWorkbook } from './report.xlsx.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface ReportMailDeps {
  db: Db;
  routing: RoutingPolicy;
  /** PUBLIC_URL: the mail links to the report page. */
  publicUrl: string;
  monitoringLines: Record<string, number>;
}

export interface QueuedReports {
  period: string;
  asOf: string;
  /** Reports stored with their mails now. */
  queued: number;
  /** Reports an earlier run already stored. */
  existing: number;
  notifications: number;
}

function content(report: Report, publicUrl: string): { subject: string; text: string; html: string } {
  const query = new URLSearchParams({
    period: report.period,
    asOf: report.asOf,
    ...(report.countyCode ? { county: report.countyCode } : {}),
  });
  const [title, ...lines] = reportSummary(report);
  const doc: MailDocument = {
    title: title!,
    intro: [
      '您好：',
      `附件为${report.scopeName}${report.period}收入监测分析报告（XLSX，七个工作表：总览、区县调度、收入分析、增收目标、市场风险、灾害疫情、趋势），供月度调度会使用。`,
    ],
    sections: [{ title: '要点', paragraphs: lines.map((l) => l.trim()) }],
    link: { label: '在系统中查看报告', url: `${publicUrl}/reports?${query.toString()}` },
  };
  return {
    subject: `【收入监测分析报告】${report.scopeName} ${report.period}（数据截至 ${report.asOf}）`,
    text: renderText(doc),
    html: renderHtml(doc),
  };
}

/**
 * Stores this month's reports and their mails (see the module comment). Idempotent per period,
 * as-of day and scope. A scope without recipients gets no report (logged).
 */
export async function queueMonthlyReports(deps: ReportMailDeps, now: Date): Promise<QueuedReports> {
  const { db, routing } = deps;
  const period = (await reportPeriod(db)).text;
  const asOf = beijingDay(now);
  const result: QueuedReports = { period, asOf, queued: 0, existing: 0, notifications: 0 };
  if (!routing.reports.enabled) return result;
  const counties = [...(await loadCounties(db)).values()];
  const scopes: Array<{ code: string | null; recipients: string[] }> = [
    { code: null, recipients: expandCityRecipients(routing.reports.city, counties) },
    ...counties.map((c) => ({ code: c.code, recipients: expandRecipients(routing.reports.county, c) })),
  ];
  for (const scope of scopes) {
    const key = `report:${period}:${asOf}:${scope.code ?? 'city'}`;
    if (scope.recipients.length === 0) {
      logger().warn({ key }, 'monthly report has no recipient (routing.json reports)');
      continue;
    }
    const report = await buildReport(db, {
      period,
      asOf,
      ...(scope.code ? { countyCode: scope.code } : {}),
      monitoringLines: deps.monitoringLines,
      now,
    });
    const file = await reportWorkbook(report);
    const mail = content(report, deps.publicUrl);
    const written = await db.transaction().execute(async (trx) => {
      const fileName = `收入监测分析报告-${scope.code ?? '全市'}-${period}-${asOf.replaceAll('-', '')}.xlsx`;
      if (!(await insertAttachment(trx, { key, fileName, contentType: XLSX_TYPE, content: file }))) return null;
      return insertNotifications(
        trx,
        scope.recipients.map((recipient) => ({
          key,
          recipient,
          kind: 'report' as const,
          countyCode: scope.code,
          cycleId: null,
          content: mail,
          attachmentKey: key,
          now,
        })),
      );
    });
    if (written === null) result.existing++;
    else {
      result.queued++;
      result.notifications += written;
    }
  }
  if (result.queued > 0) logger().info(result, 'monthly reports queued for mailing');
  return result;
}
