/**
 * Registers every command group. Each group lives in its own `*.command.ts`.
 * Long-running commands (worker, serve) must not resolve their action until shutdown:
 * main.ts exits the process shortly after the action resolves.
 */
import type { Command } from 'commander';
import { langOption } from './option-parsers.js';
import type { Say } from './output.js';
import type { ServiceName } from '../errors.js';
import { registerCasesCommands } from './cases.command.js';
import { registerDbCommands } from './db.command.js';
import { registerDemoCommands } from './demo.command.js';
import { registerGenerateCommands } from './generate.command.js';
import { registerHouseholdCommands } from './households.command.js';
import { registerImportCommands } from './import.command.js';
import { registerMonitoringCommands } from './monitoring.command.js';
import { registerNotifyCommands } from './notify.command.js';
import { registerReportCommands } from './report.command.js';
import { registerRulesCommands } from './rules.command.js';
import { registerWebCommands } from './web.command.js';

/** `t` writes the descriptions of `--help` in the program's language. */
export function registerCommands(program: Command, t: Say): void {
  registerDbCommands(program, t);
  registerImportCommands(program, t);
  registerGenerateCommands(program, t);
  registerRulesCommands(program, t);
  registerMonitoringCommands(program, t);
  registerCasesCommands(program, t);
  registerHouseholdCommands(program, t);
  registerNotifyCommands(program, t);
  registerReportCommands(program, t);
  registerWebCommands(program, t);
  registerDemoCommands(program, t);
  for (const command of leafCommands(program))
    if (!command.options.some((o) => o.long === '--lang'))
      command.option(
        '--lang <lang>',
        t('消息和文本输出的语言：zh（默认）或 en', 'language of messages and text output: zh (default) or en'),
        langOption,
      );
}

/** Every command that runs an action: `--lang` applies to each (error messages at least). */
function leafCommands(command: Command): Command[] {
  return command.commands.length === 0 ? [command] : command.commands.flatMap(leafCommands);
}

/**
 * The services each command needs, by its full name. Before the action runs, main.ts checks
 * that they answer (CONNECT_TIMEOUT_MS) and otherwise stops with one line naming the service:
 * exit 3 PostgreSQL, 4 Redis. Every command must be listed (a test walks the program):
 * a command missing here would start without that check.
 */
export const COMMAND_SERVICES: Readonly<Record<string, readonly ServiceName[]>> = Object.freeze({
  'db migrate': ['postgres'],
  import: ['postgres'],
  generate: [],
  'rules lint': [],
  'rules test': [],
  'rules explain': ['postgres'],
  'rules preview': ['postgres'],
  'cycle run': ['postgres', 'redis'],
  'cycle list': ['postgres'],
  // Redis is optional: without it the cycle is cancelled and its leftover jobs are skipped by workers.
  'cycle cancel': ['postgres'],
  worker: ['postgres', 'redis'],
  'alerts list': ['postgres'],
  'alerts ack': ['postgres'],
  'alerts resolve': ['postgres'],
  'alerts dismiss': ['postgres'],
  'tasks list': ['postgres'],
  'tasks show': ['postgres'],
  'tasks ack': ['postgres'],
  'tasks start': ['postgres'],
  'tasks close': ['postgres'],
  'leads add': ['postgres'],
  'leads list': ['postgres'],
  'measures add': ['postgres'],
  'measures list': ['postgres'],
  'households show': ['postgres'],
  'households list': ['postgres'],
  'silence add': ['postgres'],
  'silence list': ['postgres'],
  'silence expire': ['postgres'],
  'notifications list': ['postgres'],
  'notifications retry': ['postgres'],
  'notifications drain': ['postgres'],
  'notifications sweep': ['postgres'],
  'notifications routing': [],
  serve: ['postgres', 'redis'],
  'users add': ['postgres'],
  'users list': ['postgres'],
  'users disable': ['postgres'],
  'users enable': ['postgres'],
  'users passwd': ['postgres'],
  'users unlock': ['postgres'],
  'users token': ['postgres'],
  report: ['postgres'],
  demo: ['postgres', 'redis'],
});

/** Commands that create the database when it is missing: its absence is no error for them. */
export const CREATES_DATABASE: ReadonlySet<string> = new Set(['db migrate', 'demo']);

/** `cycle run` for the `run` command under `cycle`: the names from the program (excluded) down. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}
