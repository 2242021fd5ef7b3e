/**
 * `serve` (web pages and HTTP API) and `users add|list|disable|enable|passwd|unlock|token` (web accounts).
 * Thin: parse arguments, call src/http and src/accounts (loaded by each action), print.
 */
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { ROLES } from '../accounts/roles.js';
import { beijingDateTime } from '../domain/beijing-time.js';
import { type CliLang, oneOf } from './option-parsers.js';
import type { Db } from '../db/database.js';
import { UsageError } from '../errors.js';
import { JSON_HELP, printJson, printTable, printText, type Say, say } from './output.js';
import { loadConfig, withDb } from './session.js';

const withUsersDb = <T>(fn: (db: Db) => Promise<T>): Promise<T> => withDb({ applicationName: 'income-watch users', max: 2 }, fn);

/** Reads a password: hidden on a terminal, else the first line of stdin. */
async function promptPassword(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY === true });
  if (process.stdin.isTTY) {
    const out = rl as unknown as { _writeToOutput: (s: string) => void };
    let asked = false;
    out._writeToOutput = (s: string) => {
      if (!asked) {
        process.stderr.write(s);
        asked = true;
      }
    };
  }
  try {
    return await new Promise<string>((resolve) => {
      rl.once('close', () => resolve('')); // stdin ended without a line: an empty password (refused)
      rl.question(question, resolve);
    });
  } finally {
    if (process.stdin.isTTY) process.stderr.write('\n');
    rl.close();
  }
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new UsageError({ zh: `--port 必须在 0–65535 之间，而不是 "${value}"`, en: `--port must be 0–65535, not "${value}"` });
  return n;
}

interface AddUserOptions {
  role: string;
  county?: string;
  password?: string;
  displayName?: string;
  json?: boolean;
  lang?: CliLang;
}

export function registerWebCommands(program: Command, t: Say): void {
  program
    .command('serve')
    .description(
      t(
        '网页和 HTTP API（OpenAPI 见 /api/openapi.json）；一直运行到 SIGINT/SIGTERM',
        'web pages and HTTP API (OpenAPI at /api/openapi.json); runs until SIGINT/SIGTERM',
      ),
    )
    .option('--port <n>', t('监听的端口', 'port to listen on'), port, 3000)
    .option('--host <addr>', t('绑定的地址', 'address to bind'), '127.0.0.1')
    .action(async (options: { port: number; host: string; lang?: CliLang }) => {
      const [config, { createDb }, { JobCatalog }, { startServer }, { logger }] = await Promise.all([
        loadConfig(),
        import('../db/database.js'),
        import('../jobs/job.catalog.js'),
        import('../http/server.js'),
        import('../logger.js'),
      ]);
      const db = createDb(config.databaseUrl, { max: 10, applicationName: 'income-watch serve' });
      const jobs = new JobCatalog({ redisUrl: config.redisUrl, queuePrefix: config.queuePrefix });
      const server = await startServer({
        db,
        jobs,
        port: options.port,
        host: options.host,
        publicUrl: config.publicUrl,
        rulesDir: config.rulesDir,
        rulesDraftDir: config.rulesDraftDir,
        logRequests: config.logLevel !== 'silent',
        trustProxy: config.trustProxy,
        csrfSecret: config.csrfSecret,
      }).catch(async (error: NodeJS.ErrnoException) => {
        await jobs.close();
        await db.destroy();
        if (error.code === 'EADDRINUSE')
          throw new UsageError({
            zh: `${options.host} 上的端口 ${options.port} 已被占用（请用 --port 换一个）`,
            en: `port ${options.port} on ${options.host} is in use (choose another with --port)`,
          });
        if (error.code === 'EACCES')
          throw new UsageError({
            zh: `没有权限监听 ${options.host}:${options.port}`,
            en: `no permission to listen on ${options.host}:${options.port}`,
          });
        throw error;
      });
      printText(
        say(options.lang)(
          `income-watch 网页服务已启动：${server.url}（PUBLIC_URL ${config.publicUrl}），登录：${server.url}/login`,
          `income-watch serving ${server.url} (PUBLIC_URL ${config.publicUrl}) — sign in at ${server.url}/login`,
        ),
      );
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          logger().info({ signal }, 'serve: shutting down');
          resolve();
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
      await server.close();
      await jobs.close();
      await db.destroy();
    });

  const users = program.command('users').description(t('网页账号和角色', 'web accounts and roles'));

  users
    .command('add <name>')
    .description(
      t(
        `新建网页账号；角色：${Object.entries(ROLES)
          .map(([r, n]) => `${r}（${n}）`)
          .join('、')}`,
        `create a web account; roles: ${Object.entries(ROLES)
          .map(([r, n]) => `${r} (${n})`)
          .join(', ')}`,
      ),
    )
    // Checked while parsing, so a wrong role is refused before the password prompt.
    .requiredOption(
      '--role <role>',
      Object.entries(ROLES)
        .map(([r, n]) => `${r} ${n}`)
        .join(' | '),
      oneOf('--role', Object.keys(ROLES)),
    )
    .option('--county <code>', t('county_officer 所在的区县（6 位代码）', 'the county of a county_officer (6 digits)'))
    .option(
      '--password <p>',
      t('密码（默认：提示输入；管道输入时取 stdin 的第一行）', 'the password (default: prompt; on a pipe, the first line of stdin)'),
    )
    .option('--display-name <text>', t('网页上显示的名称，如 固安县农业农村局', 'name shown on pages, e.g. 固安县农业农村局'))
    .option('--json', t(...JSON_HELP))
    .action(async (name: string, options: AddUserOptions) => {
      const t = say(options.lang);
      const password = options.password ?? (await promptPassword(t(`${name} 的密码：`, `password for ${name}: `)));
      const { addUser } = await import('../accounts/user.service.js');
      const user = await withUsersDb((db) =>
        addUser(db, { name, role: options.role, countyCode: options.county, password, displayName: options.displayName }),
      );
      if (options.json) return printJson(user);
      const county = user.countyCode ? ` ${user.countyCode}` : '';
      printText(t(`已添加账号 ${user.name}（${user.roleName}${county}）`, `added ${user.name} (${user.role}${county})`));
    });

  users
    .command('list')
    .description(t('列出网页账号（不含密码）', 'list web accounts (no passwords)'))
    .option('--json', t(...JSON_HELP))
    .action(async (options: { json?: boolean; lang?: CliLang }) => {
      const { listUsers } = await import('../accounts/user.service.js');
      const rows = await withUsersDb(listUsers);
      if (options.json) return printJson(rows);
      const en = options.lang === 'en';
      printTable(
        rows.map((u) => ({
          ...u,
          role: en ? u.role : u.roleName,
          disabled: u.disabled ? say(options.lang)('已停用', 'yes') : '',
          lastLoginAt: u.lastLoginAt ? new Date(u.lastLoginAt) : null, // Beijing time, as on the pages
        })),
        [
          ['name', '用户名', 'name'],
          ['role', '角色', 'role'],
          ['countyCode', '区县', 'county'],
          ['displayName', '显示名称', 'display_name'],
          ['disabled', '停用', 'disabled'],
          ['lastLoginAt', '最近登录', 'last_login'],
        ],
        options.lang,
      );
    });

  users
    .command('disable <name>')
    .description(t('停用账号：结束其会话并吊销其 API 令牌', 'disable an account: ends its sessions and revokes its API tokens'))
    .action(async (name: string, options: { lang?: CliLang }) => {
      const { disableUser } = await import('../accounts/user.service.js');
      await withUsersDb((db) => disableUser(db, name));
      printText(say(options.lang)(`已停用账号 ${name}：其会话已结束，API 令牌已吊销`, `disabled ${name}`));
    });

  users
    .command('enable <name>')
    .description(t('重新启用已停用的账号（仍用原密码登录）', 'enable a disabled account again (it signs in with its password as before)'))
    .action(async (name: string, options: { lang?: CliLang }) => {
      const { enableUser } = await import('../accounts/user.service.js');
      const changed = await withUsersDb((db) => enableUser(db, name));
      const t = say(options.lang);
      printText(changed ? t(`已启用账号 ${name}`, `enabled ${name}`) : t(`账号 ${name} 本来就没有停用`, `${name} was not disabled`));
    });

  users
    .command('passwd <name>')
    .description(
      t(
        '设置账号的密码（至少 8 个字符）：结束其会话并清除登录限制',
        'set the password of an account (≥ 8 characters): ends its sessions and clears its login throttle',
      ),
    )
    .option(
      '--password <p>',
      t('新密码（默认：提示输入；管道输入时取 stdin 的第一行）', 'the new password (default: prompt; on a pipe, the first line of stdin)'),
    )
    .action(async (name: string, options: { password?: string; lang?: CliLang }) => {
      const t = say(options.lang);
      const password = options.password ?? (await promptPassword(t(`${name} 的新密码：`, `new password for ${name}: `)));
      const { resetPassword } = await import('../accounts/user.service.js');
      await withUsersDb((db) => resetPassword(db, name, password));
      printText(t(`已修改 ${name} 的密码；其会话已结束`, `password of ${name} changed; its sessions ended`));
    });

  users
    .command('unlock <name>')
    .description(
      t(
        '清除某个用户名的登录限制（与登录成功的效果相同），并说明清除了什么',
        'clear the login throttle of a user name (as a successful sign-in does); says what it cleared',
      ),
    )
    .option('--json', t(...JSON_HELP))
    .action(async (name: string, options: { json?: boolean; lang?: CliLang }) => {
      const { unlockLogin } = await import('../accounts/auth.service.js');
      const r = await withUsersDb((db) => unlockLogin(db, name));
      const iso = (d: Date | null) => (d ? d.toISOString() : null);
      if (options.json) {
        return printJson({
          name: r.name,
          wasLockedUntil: iso(r.wasLockedUntil),
          attemptsReset: r.attemptsReset,
          ipLocks: r.ipLocks.map((l) => ({ ip: l.ip, until: iso(l.until) })),
        });
      }
      // Times in Beijing time, as on the pages; --json keeps ISO instants.
      const t = say(options.lang);
      const cleared =
        r.attemptsReset > 0
          ? t(`${r.attemptsReset} 次登录失败不再计入该用户名`, `${r.attemptsReset} failed sign-in(s) no longer count for it`)
          : t('没有需要清除的登录失败记录', 'no failed sign-ins to clear');
      printText(
        r.wasLockedUntil
          ? t(
              `已解锁 ${r.name}（原锁定至北京时间 ${beijingDateTime(r.wasLockedUntil)}）：${cleared}`,
              `unlocked ${r.name} (it was locked until ${beijingDateTime(r.wasLockedUntil)} Beijing time): ${cleared}`,
            )
          : t(`${r.name} 未被锁定：${cleared}`, `${r.name} was not locked: ${cleared}`),
      );
      for (const l of r.ipLocks) {
        printText(
          t(
            `来自 ${l.ip} 的登录在北京时间 ${beijingDateTime(l.until)} 之前仍被拒绝：该地址登录失败次数过多（不论用户名）；${r.name} 最近曾从该地址登录`,
            `sign-ins from ${l.ip} stay refused until ${beijingDateTime(l.until)} Beijing time: too many failures from that address (any user name); ${r.name} recently tried from there`,
          ),
        );
      }
    });

  users
    .command('token <name>')
    .description(
      t(
        '为脚本创建 API 令牌（Authorization: Bearer <token>）；只显示一次',
        'create an API token for scripts (Authorization: Bearer <token>); printed once',
      ),
    )
    .option('--label <text>', t('令牌的用途', 'what the token is for'), 'script')
    .option('--json', t(...JSON_HELP))
    .action(async (name: string, options: { label: string; json?: boolean }) => {
      const { createApiToken } = await import('../accounts/user.service.js');
      const { token, id } = await withUsersDb((db) => createApiToken(db, name, options.label));
      if (options.json) return printJson({ id, name, label: options.label, token });
      process.stdout.write(`${token}\n`);
    });
}
