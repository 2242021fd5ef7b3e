/**
 * The analysis report on the web, route by route: a city monitor sees every county and may
 * narrow to one; a county officer gets only their county's figures on the page and in the
 * download, whatever the query asks; other roles and anonymous visitors get nothing; bad
 * values answer 400. The download is a valid XLSX of the same report.
 */
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.js';
import { login, seedWeb, type Session, type WebSeed } from './http-seed.js';

let w: WebSeed;
let app: FastifyInstance;
let city: Session;
let guan: Session;

beforeAll(async () => {
  w = await seedWeb('httpreports');
  app = await buildServer({ db: w.db, publicUrl: 'http://127.0.0.1:3000', rulesDir: w.rulesDir });
  [city, guan] = await Promise.all([login(app, 'city'), login(app, 'guan')]);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await w?.cleanup();
});

const get = (s: Session | null, url: string) => app.inject({ method: 'GET', url, ...(s ? { cookies: s.cookies } : {}) });

async function workbookOf(body: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  return workbook;
}

/** County codes in the first column-B cells of the dispatch sheet. */
function dispatchCounties(workbook: ExcelJS.Workbook): string[] {
  const sheet = workbook.getWorksheet('区县调度')!;
  const codes: string[] = [];
  sheet.eachRow((row, n) => {
    const code = row.getCell(2).value;
    if (n > 2 && typeof code === 'string' && /^\d{6}$/.test(code)) codes.push(code);
  });
  return codes;
}

describe('/reports', () => {
  it('shows a city monitor every county, with the pickers, the charts and the download link', async () => {
    const res = await get(city, '/reports?period=2026-Q3&asOf=2026-11-30');
    expect(res.statusCode).toBe(200);
    for (const text of [
      '固安县',
      '永清县',
      '区县调度',
      '增收目标',
      '市场风险',
      '灾害疫情',
      '趋势',
      'name="period"',
      'name="asOf"',
      'name="county"',
    ]) {
      expect(res.body, text).toContain(text);
    }
    expect(res.body).toContain('data-chart="chart-report-dispatch-data"');
    expect(res.body).toContain('/reports/report.xlsx?period=2026-Q3&amp;asOf=2026-11-30');
    const one = await get(city, '/reports?period=2026-Q3&county=131023');
    expect(one.body).toContain('永清县收入监测分析报告');
    expect(one.body).toContain('/reports/report.xlsx?period=2026-Q3&amp;asOf=');
  });

  it('holds a county officer to their county on the page, even when the query names another', async () => {
    for (const url of ['/reports', '/reports?county=131023', '/reports?county=&period=2026-Q3']) {
      const res = await get(guan, url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain('固安县收入监测分析报告');
      expect(res.body, url).not.toContain('永清县');
      expect(res.body, url).not.toContain('YQ-0001');
      expect(res.body, url).not.toContain('name="county"');
    }
  });

  it('downloads a valid XLSX: the whole city for the city monitor, only 固安县 for its officer whatever the query', async () => {
    const all = await get(city, '/reports/report.xlsx?period=2026-Q3');
    expect(all.statusCode).toBe(200);
    expect(all.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(all.headers['content-disposition']).toContain('attachment; filename="report-city-2026-Q3-');
    expect(dispatchCounties(await workbookOf(all.rawPayload))).toEqual(expect.arrayContaining(['131022', '131023']));
    for (const url of ['/reports/report.xlsx', '/reports/report.xlsx?county=131023']) {
      const own = await get(guan, url);
      expect(own.statusCode, url).toBe(200);
      const workbook = await workbookOf(own.rawPayload);
      expect(workbook.worksheets.map((s) => s.name)).toEqual(['总览', '区县调度', '收入分析', '增收目标', '市场风险', '灾害疫情', '趋势']);
      expect(dispatchCounties(workbook), url).toEqual(['131022']);
      expect(own.rawPayload.toString('latin1')).not.toContain('YQ-0001');
    }
  });

  it('is closed to rule authors and anonymous visitors', async () => {
    const author = await login(app, 'author');
    for (const url of ['/reports', '/reports/report.xlsx']) {
      expect((await get(author, url)).statusCode, url).toBe(403);
      const anonymous = await get(null, url);
      expect(anonymous.statusCode, url).toBe(303);
      expect(anonymous.headers.location).toContain('/login');
    }
  });

  it('answers a bad period, date or unknown county with 400 / 404 and a reason', async () => {
    const bad = await get(city, '/reports?period=2026-Q5');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('2026-Q5');
    expect((await get(city, '/reports/report.xlsx?asOf=2026-02-30')).statusCode).toBe(400);
    expect((await get(city, '/reports?county=139999')).statusCode).toBe(404);
    for (const s of [city, guan]) expect((await get(s, '/reports?county=%3Cscript%3E')).statusCode).toBe(400);
  });
});
