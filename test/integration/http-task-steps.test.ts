/**
 * The task page's workflow as county staff use it (Fastify inject, real database after a real
 * cycle): only the steps the task's status allows are offered; a step sent from a stale page
 * (someone else was quicker) is refused in Chinese on the task page, keeping the note typed;
 * every POST answers with a redirect to a page that can be reloaded; and "显示完整信息" writes
 * one access-log row however often the page it leads to is reloaded.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.js';
import { ID_NUMBER, login, postForm, seedWeb, type Session, type WebSeed } from './http-seed.js';

let w: WebSeed;
let app: FastifyInstance;
let guan: Session;
/** The same officer in a second browser, whose page goes stale. */
let guanElsewhere: Session;

beforeAll(async () => {
  w = await seedWeb('tasksteps');
  app = await buildServer({ db: w.db, publicUrl: 'http://127.0.0.1:3000', rulesDir: w.rulesDir });
  guan = await login(app, 'guan');
  guanElsewhere = await login(app, 'guan');
});

afterAll(async () => {
  await app?.close();
  await w?.cleanup();
});

const show = (s: Session, url: string) => app.inject({ method: 'GET', url, cookies: s.cookies });

/** The workflow buttons and forms a task page offers. */
function offered(body: string): string[] {
  return [...body.matchAll(/<form method="post" action="\/tasks\/\d+\/(ack|start|close)"/g)].map((m) => m[1]!);
}

const auditCount = async (taskId: number) =>
  (await w.db.selectFrom('audit_log').select('id').where('entity', '=', 'task').where('entity_id', '=', taskId).execute()).length;

describe('the task page offers only the steps its status allows', () => {
  it('open → 签收 only, acknowledged → 开始核实 only, in progress → the close form only, closed → none', async () => {
    const id = w.tasks.guan[1]!;
    const expected: Array<[string, string[]]> = [
      ['ack', ['start']],
      ['start', ['close']],
    ];
    expect(offered((await show(guan, `/tasks/${id}`)).body)).toEqual(['ack']);
    for (const [step, next] of expected) {
      const res = await postForm(app, guan, `/tasks/${id}/${step}`);
      expect([res.statusCode, res.headers.location]).toEqual([303, `/tasks/${id}`]);
      const page = (await show(guan, `/tasks/${id}`)).body;
      expect(offered(page)).toEqual(next);
    }
    await postForm(app, guan, `/tasks/${id}/close`, { outcome: 'assisted', note: '已入户核实' });
    const closed = (await show(guan, `/tasks/${id}`)).body;
    expect(offered(closed)).toEqual([]);
    expect(closed).toContain('任务已办结');
  });
});

describe('a step from a stale page', () => {
  it('is refused on the task page in Chinese, changes nothing, and keeps the closing note typed', async () => {
    const id = w.tasks.guan[0]!;
    // Both browsers have the page open; this one acknowledges first.
    expect((await postForm(app, guan, `/tasks/${id}/ack`)).statusCode).toBe(303);
    const before = await auditCount(id);
    const late = await postForm(app, guanElsewhere, `/tasks/${id}/ack`);
    expect([late.statusCode, late.headers.location]).toEqual([303, `/tasks/${id}`]);
    const refused = await show(guanElsewhere, `/tasks/${id}`);
    expect(refused.statusCode).toBe(200);
    expect(refused.body).toContain('该任务已是“已签收”，不能再签收。可以进行的步骤：开始核实。');
    expect(await auditCount(id)).toBe(before);
    // The message was for that one page view: a reload no longer shows it.
    expect((await show(guanElsewhere, `/tasks/${id}`)).body).not.toContain('不能再签收');

    // One browser closes the task; the other sends its own closing form afterwards.
    await postForm(app, guan, `/tasks/${id}/start`);
    await postForm(app, guan, `/tasks/${id}/close`, { outcome: 'not_at_risk', note: '收入下降系统计口径调整' });
    const note = '已入户核实，户主张三丰表示大棚受灾，已申请补贴 3,000 元。'.repeat(40); // long: kept server-side, not in a cookie
    const stale = await postForm(app, guanElsewhere, `/tasks/${id}/close`, { outcome: 'assisted', note });
    expect([stale.statusCode, stale.headers.location]).toEqual([303, `/tasks/${id}`]);
    expect(stale.headers['set-cookie'] ?? '').not.toContain('张三丰');
    const page = (await show(guanElsewhere, `/tasks/${id}`)).body;
    expect(page).toContain('该任务已办结，不能再办结。');
    expect(page).toContain('您填写的办结说明未保存');
    expect(page).toContain(note);
    const row = await w.db.selectFrom('tasks').select(['status', 'outcome', 'note']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'closed', outcome: 'not_at_risk', note: '收入下降系统计口径调整' });
  });

  it('is explained in English with the language switch', async () => {
    const id = w.tasks.guan[0]!; // closed above
    const en = { ...guanElsewhere, cookies: { ...guanElsewhere.cookies, lang: 'en' } };
    await postForm(app, en, `/tasks/${id}/ack`);
    expect((await show(en, `/tasks/${id}`)).body).toContain('The task is already closed: &quot;Acknowledge&quot; is no longer possible.');
  });
});

describe('显示完整信息 (reveal)', () => {
  const accessRows = async () => (await w.db.selectFrom('access_log').select('id').execute()).length;

  it('redirects to a reloadable page; reloading it shows the data again without a second access-log row', async () => {
    const id = w.tasks.guan[1]!;
    const before = await accessRows();
    const reveal = await postForm(app, guan, `/tasks/${id}/reveal`);
    expect(reveal.statusCode).toBe(303);
    const target = String(reveal.headers.location);
    expect(target).toMatch(new RegExp(`^/tasks/${id}\\?reveal=\\d+$`));
    for (let reload = 0; reload < 3; reload++) {
      const page = await show(guan, target);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(ID_NUMBER);
      expect(page.headers['cache-control']).toBe('no-store');
    }
    expect(await accessRows()).toBe(before + 1);

    // The address is of no use to anyone else, nor once its ten minutes have passed.
    const admin = await login(app, 'admin');
    expect((await show(admin, target)).body).not.toContain(ID_NUMBER);
    const rowId = Number(target.split('=')[1]);
    await w.db
      .updateTable('access_log')
      .set({ at: new Date(Date.now() - 11 * 60_000) })
      .where('id', '=', rowId)
      .execute();
    const later = (await show(guan, target)).body;
    expect(later).not.toContain(ID_NUMBER);
    expect(later).toContain('显示完整信息');
    expect(await accessRows()).toBe(before + 1);
  });

  it("another county's officer cannot use the address", async () => {
    const id = w.tasks.guan[1]!;
    const reveal = await postForm(app, guan, `/tasks/${id}/reveal`);
    const yongqing = await login(app, 'yongqing');
    expect((await show(yongqing, String(reveal.headers.location))).statusCode).toBe(404);
  });
});
