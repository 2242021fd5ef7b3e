/**
 * Runs the real command line (`income-watch …`) as a child process, the way an operator or a
 * script does, and collects its exit code and output. The child runs this run's transpiled
 * sources (test/support/cli-build.ts), not `bin/income-watch.mjs` through tsx: the same code,
 * started in a third of the CPU time.
 */
import { spawn } from 'node:child_process';
import { inject } from 'vitest';

/** The entry script of this run's command line: `node <cliEntry()> <args>` is `income-watch <args>`. */
export function cliEntry(): string {
  return inject('cliEntry');
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit (ms). */
  elapsedMs: number;
  /** True when the child was killed because it outlived `timeoutMs`. */
  timedOut: boolean;
}

/**
 * Runs `income-watch <args>` with `env` added to this process's environment, `nodeArgs` given to
 * node before the script, and `stdin` (if given) piped to it. Never rejects on a non-zero exit.
 * With `timeoutMs`, a child still running then is killed (`timedOut: true`).
 */
export function runCli(
  args: string[],
  options: {
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    stdin?: string;
    timeoutMs?: number;
    nodeArgs?: string[];
    /** Close the reading end of stdout at once, as `income-watch … | head` does once it has its lines. */
    closeStdout?: boolean;
  } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), cliEntry(), ...args], {
      env: { ...process.env, ...options.env },
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, options.timeoutMs);
    if (options.closeStdout) child.stdout.destroy();
    else child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, elapsedMs: Date.now() - started, timedOut });
    });
    if (options.stdin !== undefined) child.stdin.end(options.stdin);
  });
}
