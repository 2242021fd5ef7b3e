import { describe, expect, it } from 'vitest';
import {
  type CountyDigestModel,
  type DigestHousehold,
  MAX_LISTED,
  renderCitySummary,
  renderCountyDigest,
} from '../../src/notify/digest.template.js';

const household = (i: number, over: Partial<DigestHousehold> = {}): DigestHousehold => ({
  householdId: `H${String(i).padStart(4, '0')}`,
  township: '柳泉镇',
  village: null,
  mainIndustry: 'hogs',
  severity: 'warning',
  ruleNames: ['产业收入下降超过20%'],
  taskId: 100 + i,
  dueDate: '2026-10-12',
  ...over,
});

const model = (over: Partial<CountyDigestModel> = {}): CountyDigestModel => ({
  cycleId: 7,
  period: '2026-Q3',
  county: { code: '131022', name: '固安县' },
  publicUrl: 'https://iw.example.cn',
  totals: { alerts: 5, households: 2, critical: 1, tasks: 2, firstDueDate: '2026-10-12' },
  counts: [
    { cause: 'natural_disaster', severity: 'warning', alerts: 1 },
    { cause: 'industry_income_drop', severity: 'warning', alerts: 3 },
    { cause: 'industry_income_drop', severity: 'critical', alerts: 1 },
  ],
  households: [household(1, { severity: 'critical', ruleNames: ['产业收入腰斩', '产业收入下降超过20%', '产业收入腰斩'] }), household(2)],
  ...over,
});

describe('county digest template', () => {
  it('renders totals, counts by cause (catalogue order) and severity, and the listed households', () => {
    const mail = renderCountyDigest(model());
    expect(mail.subject).toBe('【收入监测预警】固安县2026-Q3期新增预警5条（2户，其中严重1条）');
    expect(mail.text).toContain('2户新增预警5条，已生成核实任务2个，最早截止日期 2026-10-12');
    const lines = mail.text.split('\n');
    const table = lines.slice(lines.findIndex((l) => l.startsWith('风险原因 | ')));
    expect(table.slice(0, 4)).toEqual([
      '风险原因 | 严重 | 预警 | 提示 | 合计',
      '产业收入下降 | 1 | 3 | 0 | 4',
      '自然灾害 | 0 | 1 | 0 | 1',
      '合计 | 1 | 4 | 0 | 5',
    ]);
    expect(mail.text).toContain(
      'H0001 | 柳泉镇 | — | 生猪 | 产业收入腰斩；产业收入下降超过20% | 严重 | 101 <https://iw.example.cn/tasks/101> | 2026-10-12',
    );
    expect(mail.text).not.toContain('未在邮件中列出');
    // The county's tasks of this cycle in the inbox, and each task number links to its page.
    expect(mail.html).toContain('href="https://iw.example.cn/inbox?county=131022&amp;cycle=7&amp;status=all"');
    expect(mail.html).toContain('<a href="https://iw.example.cn/tasks/101" style="color:#1d4ed8">101</a>');
  });

  it('lists at most MAX_LISTED households and counts the rest', () => {
    const households = Array.from({ length: MAX_LISTED + 5 }, (_, i) => household(i + 1));
    const mail = renderCountyDigest(
      model({ households, totals: { alerts: 2000, households: 1200, critical: 0, tasks: 1100, firstDueDate: null } }),
    );
    expect(mail.subject).toBe('【收入监测预警】固安县2026-Q3期新增预警2000条（1200户）');
    expect(mail.text.split('\n').filter((l) => /^H\d{4} \| /.test(l))).toHaveLength(MAX_LISTED);
    expect(mail.text).toContain(`另有${1200 - MAX_LISTED}户未在邮件中列出`);
    expect(mail.text).not.toContain('最早截止日期');
  });

  it('marks a released digest', () => {
    const mail = renderCountyDigest(model({ released: true }));
    expect(mail.subject).toBe('【收入监测预警】（暂缓通知解除）固安县2026-Q3期新增预警5条（2户，其中严重1条）');
    expect(mail.text).toContain('暂缓期已结束');
  });

  it('renders the city summary from per-county figures', () => {
    const mail = renderCitySummary({
      cycleId: 7,
      period: '2026-Q3',
      publicUrl: 'https://iw.example.cn',
      households: 3,
      counts: [{ cause: 'low_income', severity: 'critical', alerts: 4 }],
      counties: [
        { code: '131022', name: '固安县', households: 2, alerts: 3, critical: 3, warning: 0, tasks: 2, silenced: 1 },
        { code: '131023', name: '永清县', households: 1, alerts: 1, critical: 1, warning: 0, tasks: 1, silenced: 0 },
      ],
    });
    expect(mail.subject).toBe('【收入监测预警】全市2026-Q3期监测汇总：3户新增预警4条');
    expect(mail.text).toContain('2个县（市、区）的3户出现新增预警，共4条（其中1条按暂缓规则暂不通知县级）');
    expect(mail.text).toContain('固安县（131022） <https://iw.example.cn/alerts?county=131022&cycle=7&status=all> | 2 | 3 | 3 | 0 | 2 | 1');
    expect(mail.text).toContain('在系统中查看本次监测的全部预警：https://iw.example.cn/alerts?cycle=7&status=all');
    expect(mail.text).toContain('收入低于监测线 | 4 | 0 | 0 | 4');
  });
});
