/** `income-watch db migrate`. The config and migration modules load in the action. */
import type { Command } from 'commander';
import { printJson } from './output.js';
import { loadConfig } from './session.js';

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('database administration');
  db.command('migrate')
    .description('create the database if missing and apply pending migrations (safe to run concurrently)')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const [config, { migrateToLatest, redactUrl }] = await Promise.all([loadConfig(), import('../db/migrate.js')]);
      const result = await migrateToLatest(config.databaseUrl);
      if (options.json) return printJson(result);
      const where = redactUrl(config.databaseUrl);
      if (result.created) console.log(`created database ${result.database}`);
      console.log(
        result.applied.length
          ? `applied ${result.applied.length} migration(s) to ${where}: ${result.applied.join(', ')}`
          : `database ${where} is up to date`,
      );
    });
}
