/**
 * commander's own texts in the reader's language. commander writes them in English:
 * `translateCommanderError` rewrites each line of a refusal (an unknown option or command, a
 * missing argument) it knows into Chinese and leaves anything else as written; `helpLayout`
 * gives `--help` Chinese headings and notes. Names of options, commands and arguments stay as
 * typed. Pure.
 */
import { type Argument, Help, type HelpConfiguration, type Option } from 'commander';
import type { CliLang } from './option-parsers.js';
import { displayWidth } from './output.js';

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

/** commander's help headings (commander 14, lib/help.js formatHelp) → Chinese. */
const HEADINGS: Readonly<Record<string, string>> = {
  'Usage:': '用法：',
  'Arguments:': '参数：',
  'Options:': '选项：',
  'Global Options:': '全局选项：',
  'Commands:': '命令：',
};

/**
 * Where a line may break: between words, and between Chinese characters — opening punctuation
 * stays with the character after it, closing punctuation with the one before (commander breaks
 * only at blanks, so a Chinese sentence would never wrap).
 */
const CJK = '\\p{Script=Han}\\u3000-\\u303f\\uff00-\\uffef';
const PIECE = new RegExp(`\\s*[（《「“‘]*(?:[${CJK}]|[^\\s${CJK}]+)[，。、；：？！）》」”’]*`, 'gu');

/** `text` wrapped to `width` columns at the places PIECE allows, keeping its own line breaks. */
export function wrapText(text: string, width: number): string {
  return text
    .split(/\r\n|\n/)
    .map((line) => {
      const lines: string[] = [];
      let current = '';
      for (const piece of line.match(PIECE) ?? []) {
        if (current !== '' && displayWidth(current) + displayWidth(piece) > width) {
          lines.push(current);
          current = piece.trimStart();
        } else current += piece;
      }
      lines.push(current);
      return lines.join('\n');
    })
    .join('\n');
}

const plain = new Help();

/** commander's notes after a description, `(choices: "a", "b", default: "x")`, in Chinese. */
function chineseNotes(full: string, description: string): string {
  if (full === description) return full;
  const notes = full
    .slice(description.length)
    .trim()
    .slice(1, -1)
    .replace(/^choices: /, '可选：')
    .replace(/^default: /, '默认：')
    .replace(', default: ', '；默认：');
  return `${description}（${notes}）`;
}

/**
 * How `--help` is laid out in `lang`: widths that count a Chinese character as two columns, in
 * both languages (commander counts characters, which misaligns Chinese, and English texts quote
 * Chinese names too); in Chinese, also wrapping between characters, and the headings and the
 * choices/default notes in Chinese. The descriptions themselves are written in both languages
 * where the commands are registered.
 */
export function helpLayout(lang: CliLang): HelpConfiguration {
  if (lang === 'en') return { displayWidth };
  return {
    displayWidth,
    boxWrap(this: Help, text: string, width: number) {
      return width < this.minWidthToWrap ? text : wrapText(text, width);
    },
    styleTitle: (title: string) => HEADINGS[title] ?? title,
    optionDescription: (option: Option) => chineseNotes(plain.optionDescription(option), option.description ?? ''),
    argumentDescription: (argument: Argument) => chineseNotes(plain.argumentDescription(argument), argument.description),
  };
}
