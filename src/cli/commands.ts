/**
 * Registers every command group. Each group lives in its own `*.command.ts`.
 * Long-running commands (worker, serve) must not resolve their action until shutdown:
 * main.ts exits the process shortly after the action resolves.
 */
import type { Command } from 'commander';
import { registerDbCommands } from './db.command.js';
import { registerDemoCommands } from './demo.command.js';
import { registerGenerateCommands } from './generate.command.js';
import { registerImportCommands } from './import.command.js';
import { registerMonitoringCommands } from './monitoring.command.js';
import { registerNotifyCommands } from './notify.command.js';
import { registerRulesCommands } from './rules.command.js';
import { registerWebCommands } from './web.command.js';

export function registerCommands(program: Command): void {
  registerDbCommands(program);
  registerImportCommands(program);
  registerGenerateCommands(program);
  registerRulesCommands(program);
  registerMonitoringCommands(program);
  registerNotifyCommands(program);
  registerWebCommands(program);
  registerDemoCommands(program);
}
