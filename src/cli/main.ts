/**
 * The `income-watch` command line. Commands are thin: they parse arguments and call into the
 * modules. A user mistake (AppError) prints one clear line and exits with its status
 * (1 problems found, 2 usage/configuration); anything else is a bug and prints its stack.
 */
import { Command, CommanderError } from 'commander';
import { isAppError } from '../errors.js';
import { registerCommands } from './commands.js';

export function buildProgram(): Command {
  const program = new Command('income-watch')
    .description('收入监测预警 — monitors the industry income of poverty-alleviated households and warns county offices')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors were already printed.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isAppError(error)) {
      process.stderr.write(`income-watch: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`income-watch: internal error (a bug; please report it)\n${(error as Error)?.stack ?? String(error)}\n`);
    return 70;
  }
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Commands close what they open, and long-running ones (worker, serve) resolve only at
// shutdown; a forgotten handle must not keep a finished command alive.
setTimeout(() => process.exit(code), 100).unref();
