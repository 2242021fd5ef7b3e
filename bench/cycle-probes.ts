/**
 * What the cycle benchmark counts besides time: the Redis commands a cycle costs, read from a
 * redis-server of its own (so that nothing else's commands are counted and the shared Redis is
 * never touched), and the SQL statements the worker processes send, read from each worker on
 * SIGUSR2 (`worker` logs `statements sent`, see src/db/database.ts statementsSent).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { Redis } from 'ioredis';

export interface OwnRedis {
  url: string;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Ends a child process and waits for it to be gone. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

/** Starts `redis-server` on a free port without persistence; resolves once it accepts connections. */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      let log = '';
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        log += chunk;
        if (log.includes('Ready to accept connections')) resolve();
      });
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before accepting connections:\n${log}`)));
    });
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  // Never left behind, however this process ends (Ctrl-C included).
  const kill = () => child.kill();
  const interrupted = (signal: NodeJS.Signals) => {
    kill();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', kill).once('SIGINT', interrupted).once('SIGTERM', interrupted);
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      process.off('exit', kill).off('SIGINT', interrupted).off('SIGTERM', interrupted);
      await stopChild(child);
    },
  };
}

/** Commands Redis has executed: the total, and per command (`INFO commandstats`). */
export interface RedisCounts {
  total: number;
  byCommand: Map<string, number>;
}

/**
 * Redis's counters now, in one `INFO stats commandstats`. Both count a command a Lua script calls
 * (`redis.call`) like one a client sends. The INFO itself is counted by the next reading: diff
 * takes it off.
 */
export async function redisCounts(redis: Redis): Promise<RedisCounts> {
  const info = (await redis.call('INFO', 'stats', 'commandstats')) as string;
  const byCommand = new Map<string, number>();
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) byCommand.set(m[1]!, Number(m[2]));
  return { total: Number(/^total_commands_processed:(\d+)/m.exec(info)?.[1]), byCommand };
}

/** What ran between two readings, without the first reading's own INFO. */
export function diffCounts(before: RedisCounts, after: RedisCounts): RedisCounts {
  const byCommand = new Map<string, number>();
  for (const [name, calls] of after.byCommand) {
    const n = calls - (before.byCommand.get(name) ?? 0) - (name === 'info' ? 1 : 0);
    if (n > 0) byCommand.set(name, n);
  }
  return { total: after.total - before.total - 1, byCommand };
}

/**
 * A `worker` child process whose JSON log lines are read: `worker started` resolves `ready`, and
 * `statements()` asks for the process's statement count by SIGUSR2. Lines at warn and above
 * (all lines when `forwardAll`) go on to this process's stderr.
 */
export class WorkerProbe {
  readonly ready: Promise<void>;
  private readonly waiting: Array<(n: number) => void> = [];

  constructor(
    readonly child: ChildProcess,
    forwardAll: boolean,
  ) {
    let started!: () => void;
    this.ready = new Promise<void>((resolve, reject) => {
      started = resolve;
      child.once('exit', (code) => reject(new Error(`a worker exited (${code}) before it started`)));
    });
    let rest = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        let entry: { level?: number; msg?: string; statements?: number } = {};
        try {
          entry = JSON.parse(line) as typeof entry;
        } catch {
          // Not a log line (a crash's stack trace): shown below.
        }
        if (entry.msg?.startsWith('worker started')) started();
        if (entry.msg === 'statements sent') this.waiting.shift()?.(entry.statements!);
        else if (forwardAll || entry.level === undefined || entry.level >= 40) process.stderr.write(`${line}\n`);
      }
    });
  }

  /** SQL statements this worker has sent so far. */
  statements(): Promise<number> {
    const answer = new Promise<number>((resolve) => this.waiting.push(resolve));
    this.child.kill('SIGUSR2');
    return answer;
  }
}
