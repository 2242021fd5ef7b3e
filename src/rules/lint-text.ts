/**
 * Lint messages in the reader's language. The linter writes each message once, in English —
 * the language of the logs and of `rules lint --json`, which scripts read — and the faces show
 * it to people in Chinese (the rules page, `rules lint`, rule-set errors) or, through the
 * language switch and `--lang en`, as written. Each pattern below is one message template of
 * rule-set.linter.ts, rule-file.limits.ts and json-source.ts; test/unit/lint-text.test.ts
 * lints broken rule files of every kind and checks that no message is left untranslated. The
 * file and JSON pointer are never translated. Pure.
 */
import type { TextLang } from './fact-text.js';

const TYPES: Readonly<Record<string, string>> = {
  number: '数字',
  string: '字符串',
  object: '对象',
  array: '数组',
  boolean: '布尔值',
  null: 'null',
  integer: '整数',
  properties: '个属性',
  characters: '个字符',
  items: '项',
};

const type = (word: string) => TYPES[word] ?? word;

/** English template → Chinese; `$n` are the template's blanks, passed through unchanged. */
const TEMPLATES: ReadonlyArray<[RegExp, (...m: string[]) => string]> = [
  // json-source.ts
  [/^invalid JSON at line (\d+), column (\d+): (.*)$/s, (l, c, reason) => `JSON 格式错误，第 ${l} 行第 ${c} 列：${jsonReason(reason!)}`],
  // rule-file.limits.ts
  [/^the file has (.+); a rule file may have at most (.+)$/, (size, max) => `文件大小为 ${size}，规则文件最大 ${max}`],
  [/^objects and arrays are nested more than (\d+) levels deep$/, (n) => `对象和数组嵌套超过 ${n} 层`],
  [/^the list has (\d+) items; a list may have at most (\d+)$/, (n, max) => `列表有 ${n} 项，最多允许 ${max} 项`],
  [/^(\d+) more lists have more than (\d+) items$/, (n, max) => `另有 ${n} 个列表超过 ${max} 项`],
  [/^conditions are nested more than (\d+) levels deep \("all", "any", "not"\); flatten them$/, (n) => `条件（"all"、"any"、"not"）嵌套超过 ${n} 层，请减少嵌套`],
  [/^the rule has (\d+) conditions; a rule may have at most (\d+)$/, (n, max) => `规则有 ${n} 个条件，最多允许 ${max} 个`],
  // rule-set.linter.ts
  [/^parameters\.json is missing \(it holds the monitoring lines\)$/, () => '缺少 parameters.json（其中保存防止返贫监测线）'],
  [
    /^no monitoring line for (\d+) or any earlier year: the earliest configured year's value is used$/,
    (y) => `${y} 年及更早年份都没有监测线：使用已配置的最早年份的数值`,
  ],
  [
    /^no monitoring line for (\d+) or (\d+): the (\d+) value is used; add the current line for (\d+)$/,
    (y, prev, used, add) => `${y} 年和 ${prev} 年都没有监测线：正在沿用 ${used} 年的数值，请补充 ${add} 年的监测线`,
  ],
  [/^"(.+)" is missing$/, (p) => `缺少 "${p}"`],
  [/^unknown property "(.+)" in a condition$/, (p) => `条件中有未知属性 "${p}"`],
  [/^unknown property "(.+)"$/, (p) => `未知属性 "${p}"`],
  [/^must be one of (.+)$/, (list) => `必须是以下之一：${list}`],
  [/^must be a year such as "2026"$/, () => '必须是年份，例如 "2026"'],
  [/^must be (>=|<=|>|<) (.+)$/, (op, n) => `必须${{ '>=': '大于等于', '<=': '小于等于', '>': '大于', '<': '小于' }[op!]} ${n}`],
  [/^must be (\w+)$/, (t) => `必须是${type(t!)}`],
  [/^must NOT have fewer than (\d+) (\w+)$/, (n, what) => `至少需要 ${n} ${type(what!)}`],
  [/^must NOT have more than (\d+) (\w+)$/, (n, what) => `最多允许 ${n} ${type(what!)}`],
  [/^must match pattern "(.+)"$/, (p) => `必须符合格式 "${p}"`],
  [/^event\.type "(.*)" must equal the rule id "(.*)"$/, (t, id) => `event.type "${t}" 必须与规则 id "${id}" 相同`],
  [/^duplicate rule id "(.*)" \(also in (.*)\)$/, (id, file) => `规则 id "${id}" 重复（另见 ${file}）`],
  [/^rule "(.*)" is in (.*); name the file (.*)$/, (id, file, name) => `规则 "${id}" 位于 ${file}，请把文件命名为 ${name}`],
  [/^the rule set has no rules$/, () => '规则集中没有规则'],
  [
    /^the top level of conditions must be "all", "any" or "not"; wrap the condition in \{ "all": \[ … \] \}$/,
    () => 'conditions 的顶层必须是 "all"、"any" 或 "not"，请把条件写进 { "all": [ … ] }',
  ],
  [/^a condition must be an object$/, () => '条件必须是对象'],
  [/^a condition has exactly one of "all", "any", "not" \(found (.*)\)$/, (found) => `一个条件只能有 "all"、"any"、"not" 之一（现有 ${found}）`],
  [/^shared conditions \("condition"\) are not supported; write the condition out$/, () => '不支持共享条件（"condition"），请直接写出条件'],
  [/^"(all|any)" must be a non-empty array of conditions$/, (k) => `"${k}" 必须是非空的条件数组`],
  [/^a condition needs "fact", "operator" and "value" \(or "all", "any", "not"\)$/, () => '条件需要 "fact"、"operator" 和 "value"（或 "all"、"any"、"not"）'],
  [/^"fact" must be a string$/, () => '"fact" 必须是字符串'],
  [/^unknown fact "(.*)"; known facts: (.*)$/, (f, list) => `未知的指标 "${f}"；可用的指标：${list}`],
  [/^fact "(.*)" is an object: add a "path" such as "(.*)"$/, (f, p) => `指标 "${f}" 是对象：请加上 "path"，例如 "${p}"`],
  [/^unknown path (.*) for fact "(.*)"; use one of (.*)$/, (p, f, list) => `指标 "${f}" 没有路径 ${p}；可用：${list}`],
  [/^fact "(.*)" is not an object and takes no "path"$/, (f) => `指标 "${f}" 不是对象，不能带 "path"`],
  [/^facts take no "params"$/, () => '指标不接受 "params"'],
  [/^unknown operator (.*); use one of (.*)$/, (op, list) => `未知的运算符 ${op}；可用：${list}`],
  [/^an object value must reference a fact: \{ "fact": "monitoringLine" \}$/, () => '对象形式的 value 必须引用指标，例如 { "fact": "monitoringLine" }'],
  [/^operator "(.*)" compares numbers, but fact "(.*)" is a (\w+)$/, (op, f, t) => `运算符 "${op}" 比较数字，但指标 "${f}" 是${type(t!)}`],
  [/^operator "(.*)" needs a fact that is a list; "(.*)" is a (\w+)$/, (op, f, t) => `运算符 "${op}" 需要列表类型的指标，"${f}" 是${type(t!)}`],
  [/^operator "(.*)" needs a number, got (\w+) (.*)$/s, (op, t, v) => `运算符 "${op}" 需要数字，实际是${type(t!)} ${v}`],
  [/^operator "(.*)" needs an array, got (\w+) (.*)$/s, (op, t, v) => `运算符 "${op}" 需要数组，实际是${type(t!)} ${v}`],
  [/^fact "(.*)" is a (\w+), but this item is a (\w+)$/, (f, t, u) => `指标 "${f}" 是${type(t!)}，但此项是${type(u!)}`],
  [/^fact "(.*)" is a (\w+), but the value is a (\w+) (.*)$/s, (f, t, u, v) => `指标 "${f}" 是${type(t!)}，但 value 是${type(u!)} ${v}`],
];

/** JSON.parse's own reasons (V8), which json-source.ts passes on. */
const V8_REASONS: Readonly<Record<string, string>> = {
  'Expected double-quoted property name': '属性名必须用双引号',
  "Expected ',' or '}' after property value": "属性值后缺少 ',' 或 '}'",
  "Expected ',' or ']' after array element": "数组元素后缺少 ',' 或 ']'",
  "Expected ':' after property name": "属性名后缺少 ':'",
  'Unexpected end of JSON input': '文件意外结束',
  'Unterminated string': '字符串没有结束',
  'Bad control character in string literal': '字符串中有控制字符',
  'Bad escaped character': '字符串中有错误的转义字符',
  'Unexpected non-whitespace character after JSON': 'JSON 结束后还有多余的内容',
  'No number after minus sign': '减号后缺少数字',
  'Exponent part is missing a number': '指数部分缺少数字',
  'Unterminated fractional number': '小数部分缺少数字',
};

/** The reason part of a JSON syntax error. */
function jsonReason(reason: string): string {
  if (reason === 'unexpected end of the file') return '文件意外结束';
  const v8 = Object.keys(V8_REASONS).find((k) => reason.startsWith(k));
  if (v8) return V8_REASONS[v8]!;
  if (/^Unexpected token/.test(reason)) return `意外的字符（${reason}）`;
  const unexpected = /^unexpected (".*")$/s.exec(reason);
  if (unexpected) return `意外的字符 ${unexpected[1]}`;
  return translate(reason) ?? reason;
}

function translate(message: string): string | null {
  for (const [pattern, write] of TEMPLATES) {
    const m = pattern.exec(message);
    if (m) return write(...m.slice(1));
  }
  return null;
}

/** A lint message in the reader's language (Chinese unless `lang` is 'en'); a message without a template stays as written. */
export function lintMessageText(message: string, lang?: TextLang): string {
  if (lang === 'en') return message;
  return translate(message) ?? message;
}

/** `file /pointer: message` in the reader's language: the file and pointer as they are. */
export function lintLine(m: { file: string; pointer: string; message: string }, lang?: TextLang): string {
  return `${m.file}${m.pointer ? ` ${m.pointer}` : ''}${lang === 'en' ? ': ' : '：'}${lintMessageText(m.message, lang)}`;
}

/**
 * The one-line error of a rule set that fails lint (rule-set.loader.ts ruleSetError), as the
 * rules page and dashboard banner show it: `rule set rules is invalid: file /pointer: message
 * (and 2 more; run "…")` in the reader's language. Other texts (a directory that cannot be
 * read) stay as written.
 */
export function ruleSetErrorText(message: string, lang?: TextLang): string {
  if (lang === 'en') return message;
  const m = /^rule set (.+?) is invalid: (\S+?)(?: (\/\S*))?: (.+?)(?: \(and (\d+) more; run "(.+)"\))?$/s.exec(message);
  if (!m) return message;
  const [, dir, file, pointer, text, more, command] = m;
  const line = lintLine({ file: file!, pointer: pointer ?? '', message: text! });
  return `规则集 ${dir} 有错误：${line}${more ? `（另有 ${more} 处错误，请运行 "${command}"）` : ''}`;
}
