/**
 * Building blocks of the e-mails: an HTML page with inline styles and plain tables (what every
 * mail client renders, Outlook and the web mails of Chinese providers included), and the
 * plain-text twin. Pure functions. HTML is written with the shared `html` tag
 * (src/lib/html.template.ts), which escapes every value, as the web pages are.
 */
import { html, raw, type Html } from '../lib/html.template.js';

const FONT = raw("font-family:'PingFang SC','Microsoft YaHei','Hiragino Sans GB','Noto Sans CJK SC',SimSun,sans-serif");
const CELL = raw('border:1px solid #d0d7de;padding:6px 8px;font-size:13px;vertical-align:top');

export interface Cell {
  text: string;
  /** Inline style added to the cell (e.g. a severity colour). */
  style?: string;
  /** The text links here (a task's page); plain text shows the address after the text. */
  href?: string;
}

/**
 * An address of the web pages: `publicUrl` + `path` + the query (empty values left out). The
 * pages read these parameters (README "Pages"): the inbox and alert list filters, a task's page.
 */
export function webLink(publicUrl: string, path: string, query: Record<string, string | number | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  const search = params.toString();
  return `${publicUrl.replace(/\/+$/, '')}${path}${search ? `?${search}` : ''}`;
}

/** A cell with a task number linking to its page (`—` without a task). */
export function taskCell(publicUrl: string, taskId: number | null): string | Cell {
  return taskId === null ? '—' : { text: String(taskId), href: webLink(publicUrl, `/tasks/${taskId}`) };
}

/** An HTML table; `rows` are plain strings (escaped here) or cells. */
export function htmlTable(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | Cell>>): Html {
  const head = headers.map((h) => html`<th style="${CELL};background:#f3f4f6;text-align:left;white-space:nowrap">${h}</th>`);
  const body = rows.map(
    (row, i) =>
      html`${i > 0 ? '\n' : ''}<tr>${row.map((cell) => {
        const c = typeof cell === 'string' ? { text: cell } : cell;
        const text = c.href ? html`<a href="${c.href}" style="color:#1d4ed8">${c.text}</a>` : c.text;
        return html`<td style="${CELL}${c.style ? raw(`;${c.style}`) : ''}">${text}</td>`;
      })}</tr>`,
  );
  // The box scrolls sideways on a phone; the mail itself never does (clients that ignore overflow show the table as before).
  return html`<div style="max-width:100%;overflow-x:auto"><table role="presentation" cellspacing="0" cellpadding="0" style="border-collapse:collapse;margin:8px 0 16px">
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody></table></div>`;
}

/** A plain-text table: columns separated by ` | `, one line per row. */
export function textTable(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | Cell>>): string {
  const line = (cells: ReadonlyArray<string | Cell>) =>
    cells.map((c) => (typeof c === 'string' ? c : c.href ? `${c.text} <${c.href}>` : c.text)).join(' | ');
  return [line(headers), ...rows.map(line)].join('\n');
}

export interface Section {
  title: string;
  /** Paragraphs before the table. */
  paragraphs?: string[];
  table?: { headers: string[]; rows: Array<Array<string | Cell>> };
  /** Paragraphs after the table. */
  after?: string[];
}

export interface MailDocument {
  /** The heading at the top of the mail. */
  title: string;
  /** Greeting and first paragraphs. */
  intro: string[];
  sections: Section[];
  /** The call to action: a link into the web inbox. */
  link: { label: string; url: string };
}

const FOOTER = '本邮件由收入监测预警系统自动发送，请勿直接回复。邮件不含户主姓名、证件号码、联系电话等个人信息，详情请登录系统查看。';

/** The mail's HTML: every text of `doc` is escaped. */
export function renderHtml(doc: MailDocument): string {
  const lines = <T>(items: readonly T[], each: (item: T) => Html) => items.map((item, i) => html`${i > 0 ? '\n' : ''}${each(item)}`);
  const p = (text: string) => html`<p style="margin:0 0 10px;font-size:14px;line-height:1.6">${text}</p>`;
  const sections = lines(
    doc.sections,
    (s) =>
      html`<h2 style="font-size:15px;margin:18px 0 6px;color:#1f2937">${s.title}</h2>
${lines(s.paragraphs ?? [], p)}${s.table ? htmlTable(s.table.headers, s.table.rows) : ''}${lines(s.after ?? [], p)}`,
  );
  return html`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${doc.title}</title></head>
<body style="margin:0;padding:16px;background:#ffffff;color:#111827;${FONT}">
<div style="max-width:960px">
<h1 style="font-size:18px;margin:0 0 12px;color:#b91c1c">${doc.title}</h1>
${lines(doc.intro, p)}
${sections}
<p style="margin:18px 0"><a href="${doc.link.url}" style="display:inline-block;background:#1d4ed8;color:#ffffff;text-decoration:none;padding:8px 16px;border-radius:4px;font-size:14px">${doc.link.label}</a></p>
<p style="margin:0 0 10px;font-size:13px;overflow-wrap:anywhere;word-break:break-all">链接：<a href="${doc.link.url}" style="color:#1d4ed8">${doc.link.url}</a></p>
<hr style="border:none;border-top:1px solid #e5e7eb;margin:16px 0">
<p style="margin:0;font-size:12px;color:#6b7280">${FOOTER}</p>
</div>
</body></html>
`.value;
}

export function renderText(doc: MailDocument): string {
  const parts: string[] = [doc.title, '='.repeat(Math.min(40, doc.title.length * 2)), '', ...doc.intro, ''];
  for (const s of doc.sections) {
    parts.push(`【${s.title}】`, ...(s.paragraphs ?? []));
    if (s.table) parts.push(textTable(s.table.headers, s.table.rows));
    parts.push(...(s.after ?? []), '');
  }
  parts.push(`${doc.link.label}：${doc.link.url}`, '', '--', FOOTER, '');
  return parts.join('\n');
}

/** A cell coloured by alert severity. */
export function severityCell(severity: string, label: string): Cell {
  const style = severity === 'critical' ? 'color:#b91c1c;font-weight:bold' : severity === 'warning' ? 'color:#b45309' : 'color:#374151';
  return { text: label, style };
}
