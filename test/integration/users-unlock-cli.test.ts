/**
 * `income-watch users unlock <name>` as an operator runs it (a child process on a real
 * database): clears a user name's login throttle as a successful sign-in does, says what it
 * cleared and which addresses stay locked; an unknown user exits 2.
 */
import { type CliResult, runCli } from '../support/cli.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptLogin } from '../../src/accounts/auth.service.js';
import { insertLoginAttempt } from '../../src/accounts/login-attempt.repository.js';
import { addUser } from '../../src/accounts/user.service.js';
import { beijingDateTime } from '../../src/domain/beijing-time.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const PASSWORD = 'correct-horse-9';
const MINUTE = 60_000;

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase('usersunlock');
  for (const name of ['guan', 'bob', 'carol']) await addUser(t.db, { name, role: 'city_monitor', password: PASSWORD });
});
afterAll(async () => {
  await t?.drop();
});

function cli(...args: string[]): Promise<CliResult> {
  return runCli(args, { env: { DATABASE_URL: t.url, LOG_LEVEL: 'silent' } });
}

/** Five wrong passwords for `name` from `ip`, a second apart, the last at `last`. */
async function lockOut(name: string, ip: string, last: number): Promise<void> {
  for (let i = 4; i >= 0; i--) {
    expect(await attemptLogin(t.db, { name, password: 'wrong-password', ip }, new Date(last - i * 1000))).toEqual({
      ok: false,
      reason: 'invalid',
    });
  }
  expect(await attemptLogin(t.db, { name, password: PASSWORD, ip })).toMatchObject({ ok: false, reason: 'throttled' });
}

describe('income-watch users unlock', () => {
  it('clears a locked name, so the right password signs in at once, and says until when it was locked', async () => {
    const last = Date.now() - MINUTE;
    await lockOut('guan', '10.0.0.1', last);

    const r = await cli('users', 'unlock', 'guan', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      name: 'guan',
      wasLockedUntil: new Date(last + 15 * MINUTE).toISOString(),
      attemptsReset: 5,
      ipLocks: [],
    });
    expect(await attemptLogin(t.db, { name: 'guan', password: PASSWORD, ip: '10.0.0.1' })).toMatchObject({ ok: true });

    const again = await cli('users', 'unlock', 'guan');
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('guan 未被锁定：没有需要清除的登录失败记录\n');
  });

  it('prints what it did in words', async () => {
    const last = Date.now() - 2 * MINUTE;
    await lockOut('bob', '10.0.0.2', last);
    const r = await cli('users', 'unlock', 'Bob');
    expect(r.code).toBe(0);
    // Beijing time, as on the pages.
    expect(r.stdout).toBe(
      `已解锁 bob（原锁定至北京时间 ${beijingDateTime(new Date(last + 15 * MINUTE))}）：5 次登录失败不再计入该用户名\n`,
    );
    expect(await attemptLogin(t.db, { name: 'bob', password: PASSWORD, ip: '10.0.0.2' })).toMatchObject({ ok: true });
  });

  it('says when an address the user tried from stays locked (too many failures from it, any names)', async () => {
    const now = Date.now();
    // 20 failures from one address within a minute: 2 for carol, 18 for names that do not exist.
    for (let i = 0; i < 20; i++) {
      await insertLoginAttempt(t.db, { name: i < 2 ? 'carol' : `guess-${i}`, ip: '10.9.9.9', at: new Date(now - MINUTE + i * 1000) });
    }
    const until = new Date(now - MINUTE + 19 * 1000 + 15 * MINUTE).toISOString();
    const json = await cli('users', 'unlock', 'carol', '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      name: 'carol',
      wasLockedUntil: null,
      attemptsReset: 2,
      ipLocks: [{ ip: '10.9.9.9', until }],
    });
    const text = await cli('users', 'unlock', 'carol', '--lang', 'en');
    expect(text.stdout).toBe(
      'carol was not locked: no failed sign-ins to clear\n' +
        `sign-ins from 10.9.9.9 stay refused until ${beijingDateTime(new Date(until))} Beijing time: too many failures from that address (any user name); carol recently tried from there\n`,
    );
    expect(await attemptLogin(t.db, { name: 'carol', password: PASSWORD, ip: '10.9.9.9' })).toMatchObject({
      ok: false,
      reason: 'throttled',
    });
    expect(await attemptLogin(t.db, { name: 'carol', password: PASSWORD, ip: '10.0.0.3' })).toMatchObject({ ok: true });
  });

  it('exits 2 with a clear message for a user that does not exist, and changes nothing', async () => {
    await insertLoginAttempt(t.db, { name: 'nobody', ip: '10.0.0.4', at: new Date() });
    const r = await cli('users', 'unlock', 'nobody');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('income-watch: 没有账号 "nobody"（income-watch users list 列出所有账号）\n');
    const rows = await t.db.selectFrom('login_attempts').select('name_reset').where('name', '=', 'nobody').execute();
    expect(rows).toEqual([{ name_reset: false }]);
  });
});
