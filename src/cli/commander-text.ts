/**
 * commander's own refusals (an unknown option or command, a missing argument) in the reader's
 * language. commander writes them in English; `translateCommanderError` rewrites each line it
 * knows into Chinese and leaves anything else as written. Names of options, commands and
 * arguments stay as typed. Pure.
 */
import type { CliLang } from './option-parsers.js';

/** commander's message templates (commander 14, lib/command.js, argument.js, suggestSimilar.js) → Chinese. */
const TEMPLATES: ReadonlyArray<[RegExp, (...m: string[]) => string]> = [
  [/^error: unknown option '(.+)'$/, (flag) => `错误：未知的选项 '${flag}'`],
  [/^error: unknown command '(.+)'$/, (name) => `错误：未知的命令 '${name}'`],
  [/^error: missing required argument '(.+)'$/, (name) => `错误：缺少参数 '${name}'`],
  [/^error: option '(.+)' argument missing$/, (flags) => `错误：选项 '${flags}' 缺少取值`],
  [/^error: required option '(.+)' not specified$/, (flags) => `错误：必须给出选项 '${flags}'`],
  [
    /^error: too many arguments(?: for '(.+)')?\. Expected (\d+) arguments? but got (\d+)\.$/,
    (command, expected, got) => `错误：${command ? `${command} 的` : ''}参数过多：应为 ${expected} 个，实际为 ${got} 个`,
  ],
  [
    /^error: command-argument value '(.*)' is invalid for argument '(.+)'\. Allowed choices are (.+)\.$/,
    (value, name, choices) => `错误：参数 '${name}' 的值 '${value}' 无效，可选：${choices}`,
  ],
  [/^\(Did you mean one of (.+)\?\)$/, (list) => `（是否想输入以下之一：${list}？）`],
  [/^\(Did you mean (.+)\?\)$/, (word) => `（是否想输入 ${word}？）`],
];

/** The hint printed after a refused command line, in the reader's language. */
export function helpHint(lang: CliLang): string {
  return lang === 'en' ? '(run with --help for usage)' : '（加 --help 查看用法）';
}

/** A message commander writes to stderr, in `lang`: Chinese line by line where a template matches. */
export function translateCommanderError(text: string, lang: CliLang): string {
  if (lang === 'en') return text;
  return text
    .split('\n')
    .map((line) => {
      for (const [pattern, write] of TEMPLATES) {
        const m = pattern.exec(line);
        if (m) return write(...m.slice(1));
      }
      return line;
    })
    .join('\n');
}
