/**
 * The `income-watch` command line. Commands are thin: they parse arguments and call into the
 * modules. A user mistake (AppError) prints one clear line and exits with its status
 * (1 problems found, 2 usage/configuration, 3 PostgreSQL unreachable, 4 Redis unreachable);
 * anything else is a bug and prints its stack.
 *
 * Before an action runs, the services it needs (COMMAND_SERVICES) are probed once within
 * CONNECT_TIMEOUT_MS, so an unreachable service stops the command at once with one line, before
 * it has changed anything.
 */
import { Command, CommanderError } from 'commander';
import { errorText, isAppError } from '../errors.js';
import { COMMAND_SERVICES, commandPath, CREATES_DATABASE, registerCommands } from './commands.js';
import { helpHint, helpLayout, translateCommanderError } from './commander-text.js';
import { argvLang, type CliLang } from './option-parsers.js';
import { say } from './output.js';
import { actingName } from './session.js';
import { loadConfig } from './session.js';

/**
 * The program; `lang` is the language of its `--help` and of commander's own refusals (an
 * unknown option, a missing argument). Help settings are set before the commands are added,
 * which copy them.
 */
export function buildProgram(lang: CliLang = 'zh'): Command {
  const t = say(lang);
  const program = new Command('income-watch')
    .description(
      t(
        '收入监测预警：监测脱贫人口的产业收入，向县级部门预警',
        '收入监测预警 — monitors the industry income of poverty-alleviated households and warns county offices',
      ),
    )
    .configureHelp(helpLayout(lang))
    .helpOption('-h, --help', t('显示帮助', 'display help for command'))
    .helpCommand('help [command]', t('显示命令的帮助', 'display help for command'))
    .configureOutput({ outputError: (text, write) => write(translateCommanderError(text, lang)) })
    .showHelpAfterError(helpHint(lang))
    .exitOverride();
  registerCommands(program, t);
  program.hook('preAction', async (_program, action) => {
    const name = commandPath(action);
    const services = COMMAND_SERVICES[name] ?? [];
    if (services.length === 0) return;
    const [config, { probeServices }] = await Promise.all([loadConfig(), import('../lib/service-probe.js')]);
    // A workflow command without an account is a usage error: say so before contacting anything.
    if (action.options.some((o) => o.long === '--user')) actingName(config, name, (action.opts() as { user?: string }).user);
    await probeServices(services, config, { allowMissingDatabase: CREATES_DATABASE.has(name) });
  });
  return program;
}

/** A connection failure that got past the start-up probe (a service went away mid-command), as one line; else undefined. */
async function asServiceUnavailable(error: unknown) {
  try {
    const [config, { toServiceUnavailable }] = await Promise.all([loadConfig(), import('../lib/connection-error.js')]);
    return toServiceUnavailable(error, config);
  } catch {
    return undefined; // no usable configuration: report the original error
  }
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram(argvLang(argv));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors were already printed.
      return error.exitCode === 0 ? 0 : 2;
    }
    const known = isAppError(error) ? error : await asServiceUnavailable(error);
    if (known) {
      process.stderr.write(`income-watch: ${errorText(known, argvLang(argv))}\n`);
      return known.exitCode;
    }
    process.stderr.write(`income-watch: internal error (a bug; please report it)\n${(error as Error)?.stack ?? String(error)}\n`);
    return 70;
  }
}

/** Runs the command line of this process (bin/income-watch.mjs) and ends the process with its exit status. */
export async function run(): Promise<void> {
  // A reader that stops early (`income-watch alerts list | head`) closes the pipe: stop quietly, with the status a
  // Unix tool killed by SIGPIPE has (128 + 13), instead of a stack trace for an unhandled EPIPE.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(141);
  });
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
  // Commands close what they open, and long-running ones (worker, serve) resolve only at
  // shutdown; a forgotten handle must not keep a finished command alive.
  setTimeout(() => process.exit(code), 100).unref();
}
