/** `income-watch db migrate`. The config and migration modules load in the action. */
import type { Command } from 'commander';
import type { CliLang } from './option-parsers.js';
import { printJson, printText, say } from './output.js';
import { loadConfig } from './session.js';

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('database administration');
  db.command('migrate')
    .description('create the database if missing and apply pending migrations (safe to run concurrently)')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean; lang?: CliLang }) => {
      const [config, { migrateToLatest, redactUrl }] = await Promise.all([loadConfig(), import('../db/migrate.js')]);
      const result = await migrateToLatest(config.databaseUrl);
      if (options.json) return printJson(result);
      const where = redactUrl(config.databaseUrl);
      const t = say(options.lang);
      if (result.created) printText(t(`已创建数据库 ${result.database}`, `created database ${result.database}`));
      const applied = result.applied.join(', ');
      printText(
        result.applied.length
          ? t(
              `已对 ${where} 执行 ${result.applied.length} 个迁移：${applied}`,
              `applied ${result.applied.length} migration(s) to ${where}: ${applied}`,
            )
          : t(`数据库 ${where} 已是最新`, `database ${where} is up to date`),
      );
    });
}
