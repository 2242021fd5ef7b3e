/** Commands of the monitoring helper (cycle run, worker, alerts list, tasks list/ack/start/close). Placeholder until that module lands. */
import type { Command } from 'commander';

export function registerMonitoringCommands(_program: Command): void {}
