/** Commands of the rules helper. Placeholder until that module lands. */
import type { Command } from 'commander';

export function registerRulesCommands(_program: Command): void {}
