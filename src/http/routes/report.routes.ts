/**
 * The analysis report on the web: `/reports` (page) and `/reports/report.xlsx` (the same report
 * as XLSX), both with `period`, `asOf` and `county` in the query. City staff choose any county
 * or the whole city; a county officer always gets their own county, whatever the query says.
 * A report is built once for all requests of the same minute (src/report/report-cache.ts).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { countyScope, effectiveCounty, type Principal } from '../../accounts/roles.js';
import { UsageError } from '../../errors.js';
import { incomePeriods } from '../../cycle/cycle.repository.js';
import type { Db } from '../../db/database.js';
import { comparePeriods, parsePeriod } from '../../domain/period.js';
import { sharedReport } from '../../report/report-cache.js';
import { buildReport, monitoringLinesIn } from '../../report/report.service.js';
import { beijingDay } from '../../domain/beijing-time.js';
import { reportWorkbook } from '../../report/report.xlsx.js';
import { currentUser, requireUser } from '../auth.plugin.js';
import { reportPage } from '../pages/report.page.js';
import { countyOptions, pageContext } from './page-context.js';
import { textQuery } from './api.schemas.js';
import { withSchemaTypes } from './type-provider.js';

const querystring = {
  type: 'object',
  properties: { period: textQuery, asOf: textQuery, county: textQuery },
} as const;

interface ReportQuery {
  period?: string;
  asOf?: string;
  county?: string;
}

const given = (v: string | undefined) => (v && v.trim() !== '' ? v.trim() : undefined);

/**
 * The county the report covers: the user's scope (a county officer's own county, whatever was
 * asked) or the one asked for. A value that is no county code at all is refused (400) before
 * any work, for every role.
 */
function countyOf(user: Principal, query: ReportQuery): string | undefined {
  const asked = given(query.county);
  if (asked !== undefined && !/^\d{6}$/.test(asked))
    throw new UsageError({ zh: `county："${asked}" 不是 6 位区县代码`, en: `county: "${asked}" is not a 6-digit county code` });
  return effectiveCounty(user, asked);
}

/** The report's options from the query: blank values are defaults. */
function optionsOf(query: ReportQuery, county: string | undefined) {
  return { period: given(query.period), asOf: given(query.asOf), countyCode: county };
}

/** The query string of the same report (for the download link). */
function searchOf(report: { period: string; asOf: string; countyCode: string | null }): string {
  const q = new URLSearchParams({ period: report.period, asOf: report.asOf });
  if (report.countyCode) q.set('county', report.countyCode);
  return q.toString();
}

function attachment(reply: FastifyReply, report: { period: string; asOf: string; countyCode: string | null }) {
  const base = `${report.countyCode ?? 'city'}-${report.period}-${report.asOf.replaceAll('-', '')}.xlsx`;
  reply
    .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header(
      'content-disposition',
      `attachment; filename="report-${base}"; filename*=UTF-8''${encodeURIComponent(`收入监测分析报告-${base}`)}`,
    )
    .header('cache-control', 'no-store');
}

export async function reportRoutes(fastify: FastifyInstance, options: { db: Db; rulesDir: string }): Promise<void> {
  const { db } = options;
  const app = withSchemaTypes(fastify);
  const read = { preHandler: requireUser('reports:read') };
  const build = async (query: ReportQuery, county: string | undefined) => {
    const wanted = optionsOf(query, county);
    const monitoringLines = await monitoringLinesIn(options.rulesDir);
    const key = JSON.stringify([wanted.period, wanted.asOf ?? beijingDay(new Date()), wanted.countyCode, monitoringLines]);
    return sharedReport(key, () => buildReport(db, { ...wanted, monitoringLines }));
  };

  app.get('/reports', { schema: { hide: true, querystring }, ...read }, async (request, reply) => {
    const user = currentUser(request);
    const county = countyOf(user, request.query);
    const [report, periods, counties] = await Promise.all([build(request.query, county), incomePeriods(db), countyOptions(db, user)]);
    const sorted = periods
      .map((p) => parsePeriod(p))
      .filter((p) => p !== null)
      .sort(comparePeriods)
      .reverse()
      .map((p) => p.text);
    const page = reportPage(pageContext(request), {
      report,
      periods: sorted,
      counties: countyScope(user) ? [] : counties,
      downloadUrl: `/reports/report.xlsx?${searchOf(report)}`,
    });
    return reply.type('text/html; charset=utf-8').send(page);
  });

  app.get('/reports/report.xlsx', { schema: { hide: true, querystring }, ...read }, async (request, reply) => {
    const report = await build(request.query, countyOf(currentUser(request), request.query));
    attachment(reply, report);
    return reply.send(await reportWorkbook(report));
  });
}
