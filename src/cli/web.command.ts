/** Commands of the web helper (serve, users). Placeholder until that module lands. */
import type { Command } from 'commander';

export function registerWebCommands(_program: Command): void {}
