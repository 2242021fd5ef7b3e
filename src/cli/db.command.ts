/** `income-watch db migrate`. The config and migration modules load in the action. */
import type { Command } from 'commander';
import type { CliLang } from './option-parsers.js';
import { JSON_HELP, printJson, printText, type Say, say } from './output.js';
import { loadConfig } from './session.js';

export function registerDbCommands(program: Command, t: Say): void {
  const db = program.command('db').description(t('数据库管理', 'database administration'));
  db.command('migrate')
    .description(
      t(
        '数据库不存在时创建它，并执行尚未执行的迁移（可以并发运行）',
        'create the database if missing and apply pending migrations (safe to run concurrently)',
      ),
    )
    .option('--json', t(...JSON_HELP))
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
