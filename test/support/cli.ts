/**
 * Runs the real command line (`node bin/income-watch.mjs …`) as a child process, the way an
 * operator or a script does, and collects its exit code and output.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const CLI_BIN = join(import.meta.dirname, '..', '..', 'bin', 'income-watch.mjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `income-watch <args>` with `env` added to this process's environment (and `nodeArgs` given
 * to node before the script). Never rejects on a non-zero exit.
 */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; nodeArgs?: string[] } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), CLI_BIN, ...args], {
      env: { ...process.env, ...options.env },
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
