/**
 * The follow-up task workflow (open → acknowledged → in_progress → closed with outcome and
 * note), its audit trail and county scope, a closed task reopened by new alerts, and the
 * `alerts list --json` / `tasks list --json` / `tasks ack|start|close` command line.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beijingDateTime } from '../../src/domain/beijing-time.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, disableUser } from '../../src/accounts/user.service.js';
import { ConflictError, NotFoundError, UsageError } from '../../src/errors.js';
import type { MonitoringContext } from '../../src/cycle/monitoring.context.js';
import { getTask, listTasks } from '../../src/cases/task.repository.js';
import { transitionTask } from '../../src/cases/task.service.js';
import { listAlerts } from '../../src/cases/alert.repository.js';
import { transitionAlert } from '../../src/cases/alert.service.js';
import { auditOf } from '../../src/cases/audit.repository.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertCounty, insertHazard, insertHousehold, insertIncomes } from '../support/fixtures.js';
import { REPO_ROOT, testQueue } from '../support/queue.js';
import { cliEntry } from '../support/cli.js';

const run = promisify(execFile);
let t: TestDatabase;
const q = testQueue();
let ctx: MonitoringContext;
let taskA: number;
let taskB: number;
const NOW = new Date('2026-11-10T02:00:00Z');

/** Runs the CLI; INCOME_WATCH_USER is blank (no account) unless `env` sets it. */
async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cliEntry(), ...args], {
      cwd: REPO_ROOT,
      env: q.env(t.url, { LOG_LEVEL: 'silent', INCOME_WATCH_USER: '', ...env }),
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  t = await createTestDatabase('tasks_workflow');
  ctx = q.open(t.url);
  await insertCounty(t.db, { countyCode: '131022' });
  await insertCounty(t.db, { countyCode: '131082' });
  await insertHousehold(t.db, {
    householdId: 'WA',
    countyCode: '131022',
    headName: '王秘密',
    idNumber: '131022198001019999',
    phone: '13912345678',
  });
  await insertIncomes(t.db, 'WA', { '2025-Q3': 10_000, '2026-Q3': 7_000 });
  await insertHousehold(t.db, { householdId: 'WB', countyCode: '131082', mainIndustry: 'hogs' });
  await insertIncomes(t.db, 'WB', { '2025-Q3': 10_000, '2026-Q3': 3_000 });
  await q.runCycle(ctx, { period: '2026-Q3', now: NOW });
  taskA = (await listTasks(t.db, { householdId: 'WA' }))[0]!.id;
  taskB = (await listTasks(t.db, { householdId: 'WB' }))[0]!.id;
  // The accounts CLI workflow commands act as (--user / INCOME_WATCH_USER).
  await addUser(t.db, { name: 'guan', role: 'county_officer', countyCode: '131022' });
  await addUser(t.db, { name: 'ba', role: 'county_officer', countyCode: '131082' });
  await addUser(t.db, { name: 'city', role: 'city_monitor' });
  await addUser(t.db, { name: 'root', role: 'admin' });
  await addUser(t.db, { name: 'gone', role: 'admin' });
  await disableUser(t.db, 'gone');
});

afterAll(async () => {
  await q.cleanup();
  await t?.drop();
});

describe('the task workflow', () => {
  it('refuses steps out of order with a ConflictError naming the next step', async () => {
    await expect(transitionTask(t.db, { taskId: taskA, action: 'start', actor: 'u1' })).rejects.toThrow(ConflictError);
    await expect(transitionTask(t.db, { taskId: taskA, action: 'start', actor: 'u1' })).rejects.toThrow(
      /cannot start task \d+: it is open.*next step: ack/,
    );
    await expect(transitionTask(t.db, { taskId: taskA, action: 'close', actor: 'u1', outcome: 'assisted', note: 'x' })).rejects.toThrow(
      ConflictError,
    );
    expect((await getTask(t.db, taskA)).status).toBe('open');
  });

  it('keeps a task of another county out of reach of a scoped caller', async () => {
    await expect(transitionTask(t.db, { taskId: taskA, action: 'ack', actor: 'u2', countyCode: '131082' })).rejects.toThrow(NotFoundError);
    await expect(getTask(t.db, taskA, { countyCode: '131082' })).rejects.toThrow(NotFoundError);
    await expect(transitionTask(t.db, { taskId: 999_999, action: 'ack', actor: 'u2' })).rejects.toThrow(NotFoundError);
  });

  it('walks open → acknowledged → in_progress → closed, requiring outcome and note, with an audit entry per change', async () => {
    const t1 = new Date('2026-11-11T01:00:00Z');
    await transitionTask(t.db, { taskId: taskA, action: 'ack', actor: 'county-131022', countyCode: '131022', now: t1 });
    await expect(transitionTask(t.db, { taskId: taskA, action: 'ack', actor: 'x' })).rejects.toThrow(/already acknowledged/);
    await transitionTask(t.db, { taskId: taskA, action: 'start', actor: 'county-131022', note: 'visiting on Friday' });
    await expect(transitionTask(t.db, { taskId: taskA, action: 'close', actor: 'x', note: 'done' })).rejects.toThrow(UsageError);
    await expect(transitionTask(t.db, { taskId: taskA, action: 'close', actor: 'x', outcome: 'assisted' })).rejects.toThrow(/needs a note/);
    await expect(transitionTask(t.db, { taskId: taskA, action: 'close', actor: 'x', outcome: 'fixed', note: 'n' })).rejects.toThrow(
      /unknown outcome/,
    );
    const closed = await transitionTask(t.db, {
      taskId: taskA,
      action: 'close',
      actor: 'county-131022',
      outcome: 'assisted',
      note: 'vegetable greenhouse subsidy granted',
    });
    expect(closed).toMatchObject({ status: 'closed', outcome: 'assisted', note: 'vegetable greenhouse subsidy granted' });
    expect(closed.closedAt).toBeInstanceOf(Date);
    expect(closed.audit.map((e) => [e.action, e.fromStatus, e.toStatus, e.actor])).toEqual([
      ['create', null, 'open', expect.stringMatching(/^system:cycle-\d+$/)],
      ['ack', 'open', 'acknowledged', 'county-131022'],
      ['start', 'acknowledged', 'in_progress', 'county-131022'],
      ['close', 'in_progress', 'closed', 'county-131022'],
    ]);
    expect(closed.audit[1]!.at.toISOString()).toBe(t1.toISOString());
    expect(closed.audit[2]!.note).toBe('visiting on Friday');
    expect(closed.audit[3]!.note).toBe('已落实帮扶：vegetable greenhouse subsidy granted');
    await expect(transitionTask(t.db, { taskId: taskA, action: 'close', actor: 'x', outcome: 'assisted', note: 'again' })).rejects.toThrow(
      /it is already closed/,
    );
  });

  it('reopens a closed task when a later cycle finds a new risk for the household', async () => {
    await insertHazard(t.db, { type: 'unsalable', countyCode: '131022', severity: 1, startDate: '2026-09-01' });
    const summary = await q.runCycle(ctx, { period: '2026-Q3', now: new Date('2026-11-20T02:00:00Z') });
    expect(summary).toMatchObject({ alertsNew: 1, tasksNew: 0 });
    const task = await getTask(t.db, taskA);
    expect(task).toMatchObject({ status: 'open', outcome: null, ruleIds: ['industry-income-drop', 'unsalable-exposure'] });
    expect(task.audit.at(-1)).toMatchObject({ action: 'reopen', fromStatus: 'closed', toStatus: 'open' });
    expect(task.audit.at(-1)!.note).toContain('重新打开（原办结结果：已落实帮扶）');
  });
});

describe('the alert workflow', () => {
  it('acknowledges, then dismisses with a required reason, auditing each change; a closed state stays closed', async () => {
    const [alert] = await listAlerts(t.db, { householdId: 'WB', ruleId: 'industry-income-drop' });
    await expect(transitionAlert(t.db, { alertId: alert!.id, action: 'ack', actor: 'u', countyCode: '131022' })).rejects.toThrow(
      NotFoundError,
    );
    expect(await transitionAlert(t.db, { alertId: alert!.id, action: 'ack', actor: 'u' })).toMatchObject({ status: 'acknowledged' });
    await expect(transitionAlert(t.db, { alertId: alert!.id, action: 'ack', actor: 'u' })).rejects.toThrow(ConflictError);
    await expect(transitionAlert(t.db, { alertId: alert!.id, action: 'dismiss', actor: 'u' })).rejects.toThrow(UsageError);
    const dismissed = await transitionAlert(t.db, {
      alertId: alert!.id,
      action: 'dismiss',
      actor: 'u',
      reason: 'duplicate household record',
    });
    expect(dismissed).toMatchObject({ status: 'dismissed', statusReason: 'duplicate household record' });
    await expect(transitionAlert(t.db, { alertId: alert!.id, action: 'resolve', actor: 'u' })).rejects.toThrow(/it is dismissed/);
    expect((await auditOf(t.db, 'alert', alert!.id)).map((e) => [e.action, e.fromStatus, e.toStatus])).toEqual([
      ['ack', 'open', 'acknowledged'],
      ['dismiss', 'acknowledged', 'dismissed'],
    ]);
    // A cycle never re-creates a dismissed alert.
    const summary = await q.runCycle(ctx, { period: '2026-Q3', now: NOW });
    expect(summary.alertsNew).toBe(0);
    expect((await listAlerts(t.db, { householdId: 'WB', ruleId: 'industry-income-drop' }))[0]!.status).toBe('dismissed');
  });
});

describe('the command line', () => {
  it('prints alerts and tasks with exactly the JSON fields the README documents, no personal data', { timeout: 240_000 }, async () => {
    const alerts = await cli(['alerts', 'list', '--json', '--county', '131082']);
    expect(alerts.code).toBe(0);
    const parsed = JSON.parse(alerts.stdout) as Array<Record<string, unknown>>;
    expect(parsed.length).toBe(2);
    expect(Object.keys(parsed[0]!)).toEqual([
      'id',
      'householdId',
      'countyCode',
      'ruleId',
      'period',
      'severity',
      'cause',
      'status',
      'ruleSetVersion',
      'createdAt',
    ]);
    expect(parsed.every((a) => a.countyCode === '131082')).toBe(true);

    const tasks = await cli(['tasks', 'list', '--json']);
    const parsedTasks = JSON.parse(tasks.stdout) as Array<Record<string, unknown>>;
    expect(Object.keys(parsedTasks[0]!)).toEqual([
      'id',
      'householdId',
      'countyCode',
      'period',
      'status',
      'dueAt',
      'ruleIds',
      'outcome',
      'kind',
    ]);
    expect(parsedTasks.find((x) => x.id === taskB)).toEqual({
      id: taskB,
      householdId: 'WB',
      countyCode: '131082',
      period: '2026-Q3',
      status: 'open',
      dueAt: '2026-11-17',
      ruleIds: ['industry-income-collapse', 'industry-income-drop'],
      outcome: null,
      kind: 'check',
    });
    const everything = alerts.stdout + tasks.stdout + (await cli(['tasks', 'show', String(taskA)])).stdout;
    for (const secret of ['王秘密', '131022198001019999', '13912345678']) expect(everything).not.toContain(secret);

    // --overdue: WB's task was due 2026-11-17, long past today.
    const overdue = JSON.parse((await cli(['tasks', 'list', '--overdue', '--json'])).stdout) as Array<{ id: number }>;
    expect(overdue.map((x) => x.id)).toContain(taskB);
    expect(JSON.parse((await cli(['tasks', 'list', '--json', '--limit', '1'])).stdout)).toHaveLength(1);
  });

  it('drives the workflow with tasks ack|start|close and exits 1 on a conflict, 2 on a usage error', { timeout: 360_000 }, async () => {
    const acked = await cli(['tasks', 'ack', String(taskB), '--user', 'ba']);
    expect(acked).toMatchObject({ code: 0, stdout: `任务 ${taskB} 现在是“已签收”\n` });
    const again = await cli(['tasks', 'ack', String(taskB), '--user', 'ba']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/不能对任务 \d+ 执行 ack：它已经是“已签收”；只有“待签收”的任务才能执行（下一步：start（开始核实））/);
    expect((await cli(['tasks', 'ack', String(taskB), '--user', 'ba', '--lang', 'en'])).stderr).toMatch(/already acknowledged/);
    // INCOME_WATCH_USER names the account for scripts.
    const started = await cli(['tasks', 'start', String(taskB), '--note', 'called the village', '--lang', 'en'], {
      INCOME_WATCH_USER: 'ba',
    });
    expect(started).toMatchObject({ code: 0, stdout: `task ${taskB} is now in_progress\n` });
    const noNote = await cli(['tasks', 'close', String(taskB), '--outcome', 'not_at_risk', '--user', 'ba']);
    expect(noNote.code).toBe(2);
    expect(noNote.stderr).toMatch(/^income-watch: 办结任务 \d+ 需要办结说明/);
    const unknown = await cli(['tasks', 'close', String(taskB), '--outcome', '已解决', '--note', 'n', '--user', 'ba']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /--outcome：未知的核实结果 "已解决"，可选：纳入监测对象 \(identified\)、已落实帮扶 \(assisted\)、风险消除 \(risk_eliminated\)、核实无风险 \(not_at_risk\)/,
    );
    // The outcome by its Chinese name, as the web's choice shows it.
    const closed = await cli([
      'tasks',
      'close',
      String(taskB),
      '--outcome',
      '核实无风险',
      '--note',
      'income recovered in October',
      '--json',
      '--user',
      'ba',
    ]);
    expect(closed.code).toBe(0);
    expect(JSON.parse(closed.stdout)).toMatchObject({ id: taskB, status: 'closed', outcome: 'not_at_risk' });
    const trail = (await getTask(t.db, taskB)).audit;
    expect(trail.slice(-3).map((e) => [e.action, e.actor])).toEqual([
      ['ack', 'ba'],
      ['start', 'ba'],
      ['close', 'ba'],
    ]);
    // tasks show speaks Chinese: names for statuses, outcome, actions and the system's actor; Beijing time.
    const show = (await cli(['tasks', 'show', String(taskB)])).stdout;
    expect(show).toContain(`任务 ${taskB}：户 WB，区县 131082，统计期 2026-Q3`);
    expect(show).toContain('状态 已办结（核实无风险）');
    const created = trail[0]!;
    expect(show).toContain(`    ${beijingDateTime(created.at)}  系统（第 ${created.actor.replace(/\D/g, '')} 次监测）  创建  - → 待签收`);
    expect(show).toContain(`${beijingDateTime(trail.at(-1)!.at)}  ba  办结  核实中 → 已办结  核实无风险：income recovered in October`);
    expect((await cli(['tasks', 'show', String(taskB), '--lang', 'en'])).stdout).toContain('  status Closed (Verified: not at risk)');
    // Tables name statuses and outcomes as the web does; --json keeps the codes.
    const row = (await cli(['tasks', 'list'])).stdout.split('\n').find((l) => l.startsWith(`${taskB} `));
    expect(row).toMatch(/ 已办结 .* 核实无风险$/);
    expect((await cli(['tasks', 'list'])).stdout.split('\n')[0]).toMatch(
      /^编号\s+类型\s+户编码\s+区县\s+监测期\s+状态\s+办理期限\s+规则\s+办理结果$/,
    );
    const rowEn = (await cli(['tasks', 'list', '--lang', 'en'])).stdout.split('\n').find((l) => l.startsWith(`${taskB} `));
    expect(rowEn).toMatch(/ Closed .* Verified: not at risk$/);
    const alertRows = (await cli(['alerts', 'list', '--county', '131082'])).stdout;
    // Closing resolved the open alert with the outcome; the one dismissed earlier stays dismissed.
    expect(alertRows).toMatch(/industry-income-collapse +2026-Q3 +严重 +产业收入下降 +已解除 +核实无风险/);
    expect(alertRows).toMatch(/industry-income-drop +2026-Q3 +预警 +产业收入下降 +已撤销 *$/m);
  });

  it('refuses workflow commands without an enabled account allowed to work the case (exit 2, one line)', { timeout: 240_000 }, async () => {
    const [open] = await listTasks(t.db, { householdId: 'WA', status: 'open' });
    const [alert] = await listAlerts(t.db, { householdId: 'WA', status: 'open' });
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [
        ['tasks', 'ack', String(open!.id)],
        {},
        /^income-watch: tasks ack 需要以某个账号的身份操作：请给出 --user <用户名> 或设置 INCOME_WATCH_USER/,
      ],
      [
        ['tasks', 'ack', String(open!.id), '--lang', 'en'],
        {},
        /^income-watch: tasks ack acts as an account: give --user <name> or set INCOME_WATCH_USER/,
      ],
      [['alerts', 'ack', String(alert!.id)], {}, /^income-watch: alerts ack 需要以某个账号的身份操作/],
      // Refused before any service is contacted.
      [
        ['tasks', 'close', '1', '--outcome', 'assisted', '--note', 'n'],
        { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', REDIS_URL: 'redis://127.0.0.1:1' },
        /^income-watch: tasks close 需要以某个账号的身份操作/,
      ],
      [
        ['tasks', 'ack', String(open!.id), '--user', 'nobody'],
        {},
        /^income-watch: 没有账号 "nobody"（income-watch users list 列出所有账号）$/m,
      ],
      [['tasks', 'ack', String(open!.id), '--user', 'nobody', '--lang', 'en'], {}, /^income-watch: no account "nobody"/],
      [['tasks', 'ack', String(open!.id)], { INCOME_WATCH_USER: 'gone' }, /^income-watch: 账号 gone 已停用$/m],
      [['tasks', 'ack', String(open!.id), '--lang', 'en'], { INCOME_WATCH_USER: 'gone' }, /^income-watch: account gone is disabled/],
      [['tasks', 'ack', String(open!.id), '--user', 'city'], {}, /^income-watch: city（市级监测人员）无权办理任务（tasks:write）$/m],
      [
        ['tasks', 'ack', String(open!.id), '--user', 'city', '--lang', 'en'],
        {},
        /^income-watch: city \(city_monitor\) may not tasks:write/,
      ],
      [['alerts', 'dismiss', String(alert!.id), '--reason', 'x', '--user', 'city'], {}, /无权办理任务（tasks:write）/],
      // A county officer of another county: as on the web, the task does not exist for them.
      [['tasks', 'ack', String(open!.id), '--user', 'ba'], {}, new RegExp(`^income-watch: 任务 ${open!.id} 不存在$`, 'm')],
      [['tasks', 'ack', String(open!.id), '--user', 'ba', '--lang', 'en'], {}, new RegExp(`^income-watch: task ${open!.id} not found`)],
      [['alerts', 'ack', String(alert!.id), '--user', 'ba'], {}, new RegExp(`^income-watch: 预警 ${alert!.id} 不存在$`, 'm')],
    ];
    const results = await Promise.all(cases.map(([args, env]) => cli(args, env)));
    results.forEach((r, i) => {
      expect(r.code, cases[i]![0].join(' ')).toBe(2);
      expect(r.stderr, cases[i]![0].join(' ')).toMatch(cases[i]![2]);
      expect(r.stderr.trim().split('\n'), cases[i]![0].join(' ')).toHaveLength(1);
    });
    expect((await getTask(t.db, open!.id)).status).toBe('open');
    expect((await listAlerts(t.db, { ids: [alert!.id] }))[0]!.status).toBe('open');

    // The county's own officer and an admin may; the audit trail names them.
    expect(await cli(['alerts', 'ack', String(alert!.id), '--user', 'guan'])).toMatchObject({
      code: 0,
      stdout: `预警 ${alert!.id} 现在是“已签收”\n`,
    });
    expect((await cli(['tasks', 'ack', String(open!.id)], { INCOME_WATCH_USER: 'root' })).code).toBe(0);
    expect((await auditOf(t.db, 'alert', alert!.id)).at(-1)).toMatchObject({ action: 'ack', actor: 'guan' });
    expect((await getTask(t.db, open!.id)).audit.at(-1)).toMatchObject({ action: 'ack', actor: 'root' });
  });

  it('prints notes people typed with control characters escaped', { timeout: 240_000 }, async () => {
    const hostile = 'visited \u001b[2J\u001b]0;owned\u0007 then \u009b31m red \u202e txt.exe\r\nforged line';
    const [task] = await listTasks(t.db, { householdId: 'WA' });
    await transitionTask(t.db, { taskId: task!.id, action: 'start', actor: 'guan', note: hostile });
    const [show, json] = await Promise.all([cli(['tasks', 'show', String(task!.id)]), cli(['tasks', 'show', String(task!.id), '--json'])]);
    expect(show.code).toBe(0);
    for (const out of [show.stdout, json.stdout]) {
      expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    }
    expect(show.stdout).toContain('visited \\x1b[2J\\x1b]0;owned\\x07 then \\x9b31m red \\u202e txt.exe\\x0d\\x0aforged line');
    // JSON stays valid and parses back to exactly what was typed.
    expect(JSON.parse(json.stdout).audit.at(-1).note).toBe(hostile);
  });
});
