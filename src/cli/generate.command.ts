/** Commands of the generator helper. Placeholder until that module lands. */
import type { Command } from 'commander';

export function registerGenerateCommands(_program: Command): void {}
