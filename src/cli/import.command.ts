/** Commands of the ingest helper. Placeholder until that module lands. */
import type { Command } from 'commander';

export function registerImportCommands(_program: Command): void {}
