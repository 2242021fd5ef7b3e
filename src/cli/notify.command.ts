/** Commands of the notifications helper (silence, notifications). Placeholder until that module lands. */
import type { Command } from 'commander';

export function registerNotifyCommands(_program: Command): void {}
