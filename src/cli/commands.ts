/** Registers every command group. Each group lives in its own `*.command.ts`. */
import type { Command } from 'commander';
import { registerDbCommands } from './db.command.js';

export function registerCommands(program: Command): void {
  registerDbCommands(program);
}
