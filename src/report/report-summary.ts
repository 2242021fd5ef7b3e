/** The report's headline lines (the CLI's text output, the mails' first paragraphs). Pure. */
import type { Report } from './report.types.js';

export function reportSummary(report: Report, lang: 'zh' | 'en' = 'zh'): string[] {
  const en = lang === 'en';
  const figure = (name: string) => report.overview.find((r) => r.figure === name && r.item === null);
  const both = (name: string) => {
    const f = figure(name);
    return en ? `${f?.current ?? 0} (previous period ${f?.previous ?? 0})` : `${f?.current ?? 0}（上期 ${f?.previous ?? 0}）`;
  };
  const missed = report.target.rows.filter((r) => r.meetsTarget === false).map((r) => r.name);
  const overdue = report.dispatch.reduce((n, d) => n + d.overdueNow, 0);
  const scope = report.countyCode === null ? (en ? 'whole city' : '全市') : report.scopeName;
  return en
    ? [
        `Analysis report ${report.period}, ${scope}, as of ${report.asOf} (Beijing time)`,
        `  alerts ${both('alerts')}, still open ${both('alertsOpen')}`,
        `  follow-up tasks ${both('tasksOpened')}, closed ${both('tasksClosed')}; overdue now ${overdue}`,
        `  leads ${both('leads')}; households marked risk eliminated ${both('riskEliminated')}`,
        `  income-growth target missed: ${missed.length === 0 ? 'none' : missed.join(', ')}`,
      ]
    : [
        `${scope}收入监测分析报告 · 统计期 ${report.period} · 数据截至 ${report.asOf}（北京时间）`,
        `  预警 ${both('alerts')}，仍未解除 ${both('alertsOpen')}`,
        `  核实任务 ${both('tasksOpened')}，已办结 ${both('tasksClosed')}；当前逾期 ${overdue}`,
        `  线索 ${both('leads')}；标注风险消除 ${both('riskEliminated')} 户`,
        `  未实现“两个高于”增收目标：${missed.length === 0 ? '无' : missed.join('、')}`,
      ];
}
