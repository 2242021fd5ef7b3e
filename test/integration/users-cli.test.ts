/**
 * `income-watch users add|list|disable|enable|passwd|token` as an operator runs them (child processes on a
 * real database): accounts are created with their role and county, the password never shows in
 * any output, a password can come from a pipe, disabling ends sign-ins and revokes API tokens,
 * and every user mistake exits 2 (or 1 for a conflict) with one line and no stack trace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, resolveApiToken, resolveSession } from '../../src/accounts/auth.service.js';
import { type CliResult, runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertCounty } from '../support/fixtures.js';

const PASSWORD = 'correct-horse-9';
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase('userscli');
  await insertCounty(t.db); // 131022 固安县
});
afterAll(async () => {
  await t?.drop();
});

const env = () => ({ DATABASE_URL: t.url, LOG_LEVEL: 'silent' });
const cli = (...args: string[]): Promise<CliResult> => runCli(args, { env: env() });

/** `users add` with the password on standard input, as a script pipes it. */
const addWithPipe = (args: string[], stdin: string): Promise<CliResult> => runCli(['users', 'add', ...args], { env: env(), stdin });

function expectOneLineError(r: CliResult, code: number, message: RegExp): void {
  expect(r.code).toBe(code);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('income-watch users', { timeout: 180_000 }, () => {
  it('adds accounts of each kind and lists them without any secret', async () => {
    const officer = await cli(
      'users',
      'add',
      'guan',
      '--role',
      'county_officer',
      '--county',
      '131022',
      '--password',
      PASSWORD,
      '--display-name',
      '固安县农业农村局',
      '--json',
    );
    expect(officer.code).toBe(0);
    expect(JSON.parse(officer.stdout)).toMatchObject({
      name: 'guan',
      role: 'county_officer',
      countyCode: '131022',
      displayName: '固安县农业农村局',
      disabled: false,
    });
    const city = await cli('users', 'add', 'Shi.Jiance', '--role', 'city_monitor', '--password', PASSWORD);
    expect(city.code).toBe(0);
    expect(city.stdout).toBe('已添加账号 shi.jiance（市级监测人员）\n');
    const inEnglish = await cli(
      'users',
      'add',
      'qu',
      '--role',
      'county_officer',
      '--county',
      '131022',
      '--password',
      PASSWORD,
      '--lang',
      'en',
    );
    expect(inEnglish).toMatchObject({ code: 0, stdout: 'added qu (county_officer 131022)\n' });

    const piped = await addWithPipe(['author', '--role', 'rule_author'], `${PASSWORD}\n`);
    expect(piped.code).toBe(0);
    expect(await login(t.db, 'author', PASSWORD)).not.toBeNull();

    const list = await cli('users', 'list', '--json');
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.stdout) as Array<Record<string, unknown>>;
    expect(rows.map((u) => u.name).sort()).toEqual(['author', 'guan', 'qu', 'shi.jiance']);
    // The table in Chinese (headings, roles by name), in English with --lang en.
    const table = (await cli('users', 'list')).stdout;
    expect(table.split('\n')[0]).toMatch(/^用户名\s+角色\s+区县\s+显示名称\s+停用\s+最近登录$/);
    expect(table).toMatch(/^guan\s+县级办理人员\s+131022\s+固安县农业农村局/m);
    const tableEn = (await cli('users', 'list', '--lang', 'en')).stdout;
    expect(tableEn.split('\n')[0]).toMatch(/^name\s+role\s+county\s+display_name\s+disabled\s+last_login$/);
    expect(tableEn).toMatch(/^guan\s+county_officer\s+131022/m);
    for (const text of [list.stdout, table, tableEn, officer.stdout, city.stdout, piped.stdout, piped.stderr]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toMatch(/scrypt|hash/i);
    }
    expect(await login(t.db, 'guan', PASSWORD)).not.toBeNull();
    expect(await login(t.db, 'guan', 'wrong-password')).toBeNull();
  });

  it('refuses bad input with one line and changes nothing', async () => {
    expectOneLineError(await cli('users', 'add', 'x1', '--role', 'mayor', '--password', PASSWORD), 2, /--role/);
    expectOneLineError(
      await cli('users', 'add', 'x2', '--role', 'county_officer', '--password', PASSWORD),
      2,
      /county_officer（区县工作人员）需要 --county <区县代码>/,
    );
    expectOneLineError(
      await cli('users', 'add', 'x2', '--role', 'county_officer', '--password', PASSWORD, '--lang', 'en'),
      2,
      /a county_officer needs --county <code>/,
    );
    expectOneLineError(
      await cli('users', 'add', 'x3', '--role', 'county_officer', '--county', '999999', '--password', PASSWORD),
      2,
      /未知的区县 999999（请先导入区县）/,
    );
    expectOneLineError(
      await cli('users', 'add', 'x4', '--role', 'admin', '--county', '131022', '--password', PASSWORD),
      2,
      /--county 只适用于 county_officer/,
    );
    expectOneLineError(await cli('users', 'add', 'x5', '--role', 'admin', '--password', 'short'), 2, /密码至少需要 8 个字符/);
    expectOneLineError(
      await cli('users', 'add', 'bad name!', '--role', 'admin', '--password', PASSWORD),
      2,
      /用户名 "bad name!" 须为 2–64 个字符/,
    );
    expectOneLineError(await addWithPipe(['x6', '--role', 'admin'], ''), 2, /密码至少需要 8 个字符|password/);
    expectOneLineError(await cli('users', 'add', 'guan', '--role', 'city_monitor', '--password', PASSWORD), 1, /用户 guan 已存在/);
    expectOneLineError(
      await cli('users', 'add', 'guan', '--role', 'city_monitor', '--password', PASSWORD, '--lang', 'en'),
      1,
      /user guan exists/,
    );
    expectOneLineError(await cli('users', 'disable', 'nobody'), 2, /^income-watch: 没有用户 nobody\n$/);
    expectOneLineError(await cli('users', 'disable', 'nobody', '--lang', 'en'), 2, /^income-watch: no user nobody\n$/);
    expectOneLineError(await cli('users', 'token', 'nobody'), 2, /没有用户 nobody/);
    const names = (JSON.parse((await cli('users', 'list', '--json')).stdout) as Array<{ name: string }>).map((u) => u.name);
    expect(names.filter((n) => n.startsWith('x'))).toEqual([]);
  });

  it('creates API tokens printed once, and disabling ends sign-ins and revokes tokens', async () => {
    const created = await cli('users', 'token', 'shi.jiance', '--label', 'nightly export', '--json');
    expect(created.code).toBe(0);
    const { token, label } = JSON.parse(created.stdout) as { token: string; label: string };
    expect(label).toBe('nightly export');
    expect(await resolveApiToken(t.db, token)).toMatchObject({ name: 'shi.jiance', role: 'city_monitor' });

    const disabled = await cli('users', 'disable', 'shi.jiance');
    expect(disabled).toMatchObject({ code: 0, stdout: '已停用账号 shi.jiance：其会话已结束，API 令牌已吊销\n' });
    expect(await cli('users', 'disable', 'shi.jiance', '--lang', 'en')).toMatchObject({ code: 0, stdout: 'disabled shi.jiance\n' });
    expect(await resolveApiToken(t.db, token)).toBeNull();
    expect(await login(t.db, 'shi.jiance', PASSWORD)).toBeNull();
    expectOneLineError(await cli('users', 'token', 'shi.jiance'), 1, /用户 shi.jiance 已停用/);
    const listed = (JSON.parse((await cli('users', 'list', '--json')).stdout) as Array<{ name: string; disabled: boolean }>).find(
      (u) => u.name === 'shi.jiance',
    );
    expect(listed?.disabled).toBe(true);
  });
});

describe('income-watch users passwd and enable', { timeout: 180_000 }, () => {
  const NEW_PASSWORD = 'new-horse-battery-7';
  const auditOf = async (name: string) => {
    const user = await t.db.selectFrom('users').select('id').where('name', '=', name).executeTakeFirstOrThrow();
    return t.db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'note'])
      .where('entity', '=', 'user')
      .where('entity_id', '=', user.id)
      .orderBy('id')
      .execute();
  };

  it('sets a password from --password or a pipe, ends the sessions and never prints it', async () => {
    const session = await login(t.db, 'guan', PASSWORD);
    expect(session).not.toBeNull();
    const set = await cli('users', 'passwd', 'guan', '--password', NEW_PASSWORD);
    expect(set).toMatchObject({ code: 0, stdout: '已修改 guan 的密码；其会话已结束\n' });
    expect(await resolveSession(t.db, session!.token)).toBeNull();
    expect(await login(t.db, 'guan', PASSWORD)).toBeNull();
    expect(await login(t.db, 'guan', NEW_PASSWORD)).not.toBeNull();

    const piped = await runCli(['users', 'passwd', 'guan', '--lang', 'en'], { env: env(), stdin: `${PASSWORD}\n` });
    expect(piped).toMatchObject({ code: 0, stdout: 'password of guan changed; its sessions ended\n' });
    expect(await login(t.db, 'guan', PASSWORD)).not.toBeNull();
    for (const text of [set.stdout, set.stderr, piped.stdout, piped.stderr]) expect(text).not.toMatch(/horse/);
    const audit = await auditOf('guan');
    expect(audit.filter((a) => a.action === 'password_reset')).toEqual([
      { action: 'password_reset', actor: 'system:cli', note: null },
      { action: 'password_reset', actor: 'system:cli', note: null },
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/horse|scrypt/);
  });

  it('refuses a short password and an unknown user with one line, changing nothing', async () => {
    expectOneLineError(await cli('users', 'passwd', 'guan', '--password', 'short'), 2, /密码至少需要 8 个字符/);
    expectOneLineError(await runCli(['users', 'passwd', 'guan', '--lang', 'en'], { env: env(), stdin: '' }), 2, /at least 8 characters/);
    expectOneLineError(await cli('users', 'passwd', 'nobody', '--password', NEW_PASSWORD), 2, /没有用户 nobody/);
    expectOneLineError(await cli('users', 'enable', 'nobody', '--lang', 'en'), 2, /no user nobody/);
    expect(await login(t.db, 'guan', PASSWORD)).not.toBeNull();
  });

  it('enables a disabled account again, which then signs in with its password', async () => {
    expect((await cli('users', 'disable', 'guan')).code).toBe(0);
    expect(await login(t.db, 'guan', PASSWORD)).toBeNull();
    expect(await cli('users', 'enable', 'guan')).toMatchObject({ code: 0, stdout: '已启用账号 guan\n' });
    expect(await login(t.db, 'guan', PASSWORD)).not.toBeNull();
    expect(await cli('users', 'enable', 'guan')).toMatchObject({ code: 0, stdout: '账号 guan 本来就没有停用\n' });
    expect(await cli('users', 'enable', 'guan', '--lang', 'en')).toMatchObject({ code: 0, stdout: 'guan was not disabled\n' });
    const listed = (JSON.parse((await cli('users', 'list', '--json')).stdout) as Array<{ name: string; disabled: boolean }>).find(
      (u) => u.name === 'guan',
    );
    expect(listed?.disabled).toBe(false);
    expect((await auditOf('guan')).slice(-2).map((a) => [a.action, a.actor])).toEqual([
      ['disable', 'system:cli'],
      ['enable', 'system:cli'],
    ]);
  });
});
