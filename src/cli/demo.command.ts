/** Commands of the monitoring helper. Placeholder until that module lands. */
import type { Command } from 'commander';

export function registerDemoCommands(_program: Command): void {}
