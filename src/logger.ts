/**
 * The process logger (pino, JSON lines on stderr). Logs are English and never carry personal
 * data: log ids and counts, not names, ID numbers or phones.
 */
import { pino, type Logger } from 'pino';
import { getConfig } from './config.js';

let root: Logger | undefined;

export function logger(): Logger {
  root ??= pino(
    {
      level: getConfig().logLevel,
      base: { pid: process.pid },
      redact: { paths: ['*.head_name', '*.id_number', '*.phone', '*.headName', '*.idNumber'], censor: '[redacted]' },
    },
    pino.destination(2),
  );
  return root;
}
