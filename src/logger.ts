/**
 * The process logger (pino, JSON lines on stderr). Logs are English and never carry personal
 * data: log ids and counts, not names, ID numbers or phones.
 *
 * The level is not read from the environment here: the entry point (CLI, worker, web server)
 * calls configureLogger with LOG_LEVEL from its configuration. Until then the level is `info`,
 * so a process that forgets to configure still logs.
 */
import { pino, type Level, type Logger } from 'pino';

/** The levels LOG_LEVEL accepts. */
export type LogLevel = Level | 'silent';

let level: LogLevel = 'info';
let root: Logger | undefined;

/** Sets the level of the process logger (also of one created already). Called by entry points. */
export function configureLogger(options: { level: LogLevel }): void {
  level = options.level;
  if (root) root.level = level;
}

export function logger(): Logger {
  root ??= pino(
    {
      level,
      base: { pid: process.pid },
      redact: { paths: ['*.head_name', '*.id_number', '*.phone', '*.headName', '*.idNumber'], censor: '[redacted]' },
    },
    pino.destination(2),
  );
  return root;
}
