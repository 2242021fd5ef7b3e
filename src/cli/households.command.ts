/**
 * `households show <id>` and `households list`: a household's register (personal data masked,
 * as on the web before a reveal), monitoring status, status history and timeline; the households
 * by county and monitoring status. Text in Chinese (`--lang en`: English), times in Beijing time;
 * `--json` keeps the codes and ISO instants (README "Households").
 */
import type { Command } from 'commander';
import { beijingDateTime } from '../domain/beijing-time.js';
import { actorName, MONITORING_STATUS_NAMES, nameOf } from '../domain/case-names.js';
import { CATEGORIES, CATEGORIES_EN, INDUSTRIES, INDUSTRIES_EN } from '../domain/catalog.js';
import { MONITORING_STATUS_CODES } from '../domain/catalog.js';
import { NotFoundError, UsageError } from '../errors.js';
import type { HouseholdListItem } from '../views/household.repository.js';
import { type CliLang, langOption, oneOf, positiveInt } from './option-parsers.js';
import { JSON_HELP, LANG_HELP, printJson, printTable, printText, type Say } from './output.js';
import { withDb } from './session.js';

const DB = { applicationName: 'income-watch households', max: 3 };

function countyOption(value: string): string {
  if (!/^\d{6}$/.test(value))
    throw new UsageError({
      zh: `--county 必须是 6 位区县代码，而不是 "${value}"`,
      en: `--county must be a 6-digit county code, not "${value}"`,
    });
  return value;
}

const names = (lang: CliLang) => ({
  category: (code: string) => nameOf({ zh: CATEGORIES, en: CATEGORIES_EN }, code, lang),
  industry: (code: string) => nameOf({ zh: INDUSTRIES, en: INDUSTRIES_EN }, code, lang),
  status: (code: string) => nameOf(MONITORING_STATUS_NAMES, code, lang),
});

async function show(id: string, options: { json?: boolean; lang?: CliLang }): Promise<void> {
  const [{ findHousehold }, { householdRecord }, { maskPersonal }, text] = await Promise.all([
    import('../views/household-view.repository.js'),
    import('../views/household.repository.js'),
    import('../accounts/masking.js'),
    import('../views/timeline-text.js'),
  ]);
  await withDb(DB, async (db) => {
    const [register, record] = await Promise.all([findHousehold(db, id), householdRecord(db, id)]);
    if (!register || !record) throw new NotFoundError({ zh: `户 "${id}" 不存在`, en: `household "${id}" not found` });
    const household = { ...register, ...maskPersonal(register), ...record };
    if (options.json) return printJson(household);
    const lang = options.lang ?? 'zh';
    const t = (zh: string, en: string) => (lang === 'en' ? en : zh);
    const n = names(lang);
    const h = household;
    const place = [h.township, h.village].filter(Boolean).join(' / ');
    printText(
      t(
        `户 ${h.householdId}：${h.countyName}（${h.countyCode}）${place}，${n.category(h.category)}，${h.members} 人，主导产业 ${n.industry(h.mainIndustry)}`,
        `household ${h.householdId}: ${h.countyName} (${h.countyCode}) ${place}, ${n.category(h.category)}, ${h.members} member(s), main industry ${n.industry(h.mainIndustry)}`,
      ),
    );
    printText(
      t(
        `  户主 ${h.headName ?? '—'}，证件号码 ${h.idNumber ?? '—'}，联系电话 ${h.phone ?? '—'}（已脱敏）`,
        `  head ${h.headName ?? '—'}, ID number ${h.idNumber ?? '—'}, phone ${h.phone ?? '—'} (masked)`,
      ),
    );
    const status =
      h.monitoringStatus === 'none'
        ? n.status('none')
        : text.statusText(
            { status: h.monitoringStatus, category: h.monitoringCategory, causes: h.monitoringCauses, since: h.monitoringSince ?? '' },
            lang,
          );
    const openTask = h.openTaskId ? t(`；未办结任务 #${h.openTaskId}`, `; open task #${h.openTaskId}`) : '';
    printText(`  ${t('监测状态：', 'monitoring status: ')}${status}${openTask}`);
    printText(t('  监测状态变化：', '  status history:'));
    if (h.history.length === 0) printText(`    ${t('（无）', '(none)')}`);
    for (const s of h.history) {
      const task = s.taskId ? `  ${t('任务', 'task')} #${s.taskId}` : '';
      printText(
        `    ${beijingDateTime(s.at)}  ${text.statusText(s, lang)}${task}  ${actorName(s.actor, lang)}${s.note ? `  ${s.note}` : ''}`,
      );
    }
    printText(t('  时间线（最新在前）：', '  timeline (newest first):'));
    if (h.timeline.length === 0) printText(`    ${t('（无）', '(none)')}`);
    for (const e of h.timeline) {
      const who = e.actor ? `  ${actorName(e.actor, lang)}` : '';
      printText(
        `    ${beijingDateTime(e.at)}  ${text.timelineKindName(e, lang)}  ${text.timelineText(e, lang)}${who}${e.note ? `  ${e.note}` : ''}`,
      );
    }
  });
}

/** The `households list --json` fields, exactly (HouseholdListItem). */
function listJson(r: HouseholdListItem): HouseholdListItem {
  return {
    householdId: r.householdId,
    countyCode: r.countyCode,
    countyName: r.countyName,
    township: r.township,
    village: r.village,
    category: r.category,
    members: r.members,
    mainIndustry: r.mainIndustry,
    monitoringStatus: r.monitoringStatus,
    monitoringCategory: r.monitoringCategory,
    monitoringCauses: r.monitoringCauses,
    monitoringSince: r.monitoringSince,
    openTaskId: r.openTaskId,
  };
}

async function list(options: { status?: string; county?: string; search?: string; limit?: number; json?: boolean; lang?: CliLang }) {
  const [{ searchHouseholds }, { riskCausesText }] = await Promise.all([
    import('../views/household.repository.js'),
    import('../views/timeline-text.js'),
  ]);
  await withDb(DB, async (db) => {
    const limit = options.limit ?? (options.json ? undefined : 50);
    const { rows, total } = await searchHouseholds(
      db,
      { status: options.status, countyCode: options.county, q: options.search },
      limit === undefined ? {} : { limit },
    );
    if (options.json) return printJson(rows.map(listJson));
    const lang = options.lang ?? 'zh';
    const t = (zh: string, en: string) => (lang === 'en' ? en : zh);
    const n = names(lang);
    const col = {
      id: t('户编码', 'household'),
      county: t('区县', 'county'),
      place: t('乡镇/村', 'township/village'),
      category: t('户类型', 'category'),
      members: t('人口', 'members'),
      status: t('监测状态', 'status'),
      monitoring: t('监测类别/风险', 'monitoring category/causes'),
      since: t('自', 'since'),
      task: t('未办结任务', 'open task'),
    };
    printTable(
      rows.map((r) => ({
        [col.id]: r.householdId,
        [col.county]: r.countyCode,
        [col.place]: [r.township, r.village].filter(Boolean).join('/'),
        [col.category]: n.category(r.category),
        [col.members]: r.members,
        [col.status]: n.status(r.monitoringStatus),
        [col.monitoring]: [r.monitoringCategory ? n.category(r.monitoringCategory) : '', riskCausesText(r.monitoringCauses, lang)]
          .filter(Boolean)
          .join(t('；', '; ')),
        [col.since]: r.monitoringSince ?? '',
        [col.task]: r.openTaskId ? `#${r.openTaskId}` : '',
      })),
      Object.values(col),
      lang,
    );
    if (rows.length < total)
      printText(
        t(`（共 ${total} 户，显示前 ${rows.length} 户；--limit 可改）`, `(${total} in all, first ${rows.length} shown; see --limit)`),
      );
  });
}

export function registerHouseholdCommands(program: Command, t: Say): void {
  const households = program
    .command('households')
    .description(
      t('农户：户籍信息（已脱敏）、监测状态、历史和时间线', 'households: register (masked), monitoring status, history and timeline'),
    );
  households
    .command('show <id>')
    .description(
      t(
        '一户的户籍信息（个人信息已脱敏）、监测状态及其历史、时间线（最新的在前）',
        'a household: register (personal data masked), monitoring status and its history, the timeline (newest first)',
      ),
    )
    .option('--lang <lang>', t(...LANG_HELP), langOption)
    .option('--json', t(...JSON_HELP))
    .action(show);
  households
    .command('list')
    .description(t('按区县和户编码列出农户及其监测状态', 'households by county and id, with their monitoring status'))
    .option(
      '--status <s>',
      t(`${MONITORING_STATUS_CODES.join('、')} 之一`, `one of ${MONITORING_STATUS_CODES.join(', ')}`),
      oneOf('--status', MONITORING_STATUS_CODES),
    )
    .option('--county <code>', t('区县代码', 'county code'), countyOption)
    .option(
      '--search <text>',
      t('户编码（完整或末尾几位）或村名的一部分', 'household id (whole or its last characters) or part of a village name'),
    )
    .option(
      '--limit <n>',
      t('最多列出 n 户（默认：--json 时全部，否则 50）', 'at most n households (default: all with --json, 50 otherwise)'),
      positiveInt('--limit'),
    )
    .option('--lang <lang>', t(...LANG_HELP), langOption)
    .option('--json', t(...JSON_HELP))
    .action(list);
}
