/**
 * Mails about single alerts (immediate) and about tasks (reminder before the due date,
 * escalation when overdue), in Simplified Chinese. Pure.
 */
import { type DigestAlert, label, MAX_LISTED, type RenderedMail } from './digest.template.js';
import { type MailDocument, renderHtml, renderText, severityCell, taskCell, webLink } from './mail-layout.template.js';
import { daysBetween } from '../domain/beijing-time.js';

export interface ImmediateModel {
  alert: DigestAlert & { period: string };
  county: { code: string; name: string };
  publicUrl: string;
  released?: boolean;
}

export function renderImmediate(model: ImmediateModel): RenderedMail {
  const a = model.alert;
  const url =
    a.taskId !== null
      ? webLink(model.publicUrl, `/tasks/${a.taskId}`)
      : webLink(model.publicUrl, '/alerts', { county: model.county.code, q: a.householdId, status: 'all' });
  const doc: MailDocument = {
    title: `${label.severity(a.severity)}预警：${model.county.name} 户 ${a.householdId}`,
    intro: [
      `${model.county.name}农业农村局：`,
      `${model.released ? '（此预警此前按规定暂缓通知，现补发。）' : ''}统计期 ${a.period} 监测发现以下${label.severity(a.severity)}预警，请立即安排核实。`,
    ],
    sections: [
      {
        title: '预警信息',
        table: {
          headers: ['项目', '内容'],
          rows: [
            ['户编码', a.householdId],
            ['乡镇', a.township ?? '—'],
            ['村', a.village ?? '—'],
            ['主导产业', label.industry(a.mainIndustry)],
            ['触发规则', a.ruleName],
            ['风险原因', label.cause(a.cause)],
            ['等级', severityCell(a.severity, label.severity(a.severity))],
            ['核实任务', taskCell(model.publicUrl, a.taskId)],
            ['截止日期', a.dueDate ?? '—'],
          ],
        },
      },
    ],
    link: { label: '在系统中查看', url },
  };
  return {
    subject: `【${label.severity(a.severity)}预警】${model.county.name} 户${a.householdId}：${a.ruleName}`,
    text: renderText(doc),
    html: renderHtml(doc),
  };
}

/** What a reminder or escalation shows of one task. */
export interface NoticeTask {
  taskId: number;
  householdId: string;
  period: string;
  status: string;
  dueDate: string;
  township: string | null;
  village: string | null;
  mainIndustry: string;
  ruleNames: string[];
}

export interface TaskNoticeModel {
  kind: 'reminder' | 'escalation';
  /** Today, `YYYY-MM-DD` in Asia/Shanghai. */
  day: string;
  county: { code: string; name: string };
  tasks: NoticeTask[];
  publicUrl: string;
}

const TASK_STATUS: Record<string, string> = { open: '待签收', acknowledged: '已签收', in_progress: '核实中', closed: '已办结' };

export function renderTaskNotice(model: TaskNoticeModel): RenderedMail {
  const { county, tasks, day } = model;
  const reminder = model.kind === 'reminder';
  const listed = tasks.slice(0, MAX_LISTED);
  const rows = listed.map((t) => {
    const delta = daysBetween(day, t.dueDate);
    return [
      taskCell(model.publicUrl, t.taskId),
      t.householdId,
      t.township ?? '—',
      t.village ?? '—',
      label.industry(t.mainIndustry),
      t.ruleNames.join('；') || '—',
      t.period,
      t.dueDate,
      reminder ? (delta === 0 ? '今天到期' : `剩${delta}天`) : severityCell('critical', `逾期${-delta}天`),
      TASK_STATUS[t.status] ?? t.status,
    ];
  });
  const url = webLink(model.publicUrl, '/inbox', { county: county.code, overdue: reminder ? undefined : 1 });
  const title = reminder ? `核实任务到期提醒：${county.name}` : `核实任务逾期督办：${county.name}`;
  const doc: MailDocument = {
    title: `${title}（${day}）`,
    intro: reminder
      ? [`${county.name}农业农村局：`, `以下${tasks.length}个核实任务即将到期，请在截止日期前完成核实并在系统中办结。`]
      : [
          '各位监测人员：',
          `${county.name}（${county.code}）有${tasks.length}个核实任务已超过截止日期仍未办结，请督促县级农业农村部门尽快核实处理。`,
        ],
    sections: [
      {
        title: reminder ? '即将到期的任务' : '逾期任务',
        table: {
          headers: ['任务编号', '户编码', '乡镇', '村', '主导产业', '触发规则', '统计期', '截止日期', reminder ? '剩余' : '逾期', '状态'],
          rows,
        },
        after: tasks.length > listed.length ? [`另有${tasks.length - listed.length}个任务未在邮件中列出，请登录系统查看。`] : [],
      },
    ],
    link: { label: reminder ? '在系统中处理核实任务' : '在系统中查看逾期任务', url },
  };
  const subject = reminder
    ? `【核实任务提醒】${county.name}：${tasks.length}个任务将于${tasks[0]?.dueDate ?? day}起陆续到期`
    : `【逾期督办】${county.name}：${tasks.length}个核实任务已逾期`;
  return { subject, text: renderText(doc), html: renderHtml(doc) };
}
