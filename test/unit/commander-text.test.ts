/**
 * commander's own texts in Chinese by default and as written with --lang en: the program is
 * run in-process (main) on command lines commander itself refuses, and every template of
 * src/cli/commander-text.ts must have turned its line into Chinese; every command's `--help`
 * (descriptions, headings, notes, the text after) is Chinese, and English with --lang en.
 */
import type { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { wrapText } from '../../src/cli/commander-text.js';
import { buildProgram, main } from '../../src/cli/main.js';
import { displayWidth } from '../../src/cli/output.js';

let stderr = '';
beforeEach(() => {
  stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => vi.restoreAllMocks());

describe("commander's refusals", () => {
  it.each([
    [['users', 'lst'], "错误：未知的命令 'lst'\n（是否想输入 list？）\n（加 --help 查看用法）\n"],
    [['users', 'list', '--bogus'], "错误：未知的选项 '--bogus'\n（加 --help 查看用法）\n"],
    [['import'], "错误：缺少参数 'kind'\n（加 --help 查看用法）\n"],
    [
      ['import', 'people', 'x.csv'],
      "错误：参数 'kind' 的值 'people' 无效，可选：counties, households, incomes, hazards, prices, signals, benchmarks, leads\n（加 --help 查看用法）\n",
    ],
    [['users', 'add', 'x'], "错误：必须给出选项 '--role <role>'\n（加 --help 查看用法）\n"],
    [['tasks', 'list', '--limit'], "错误：选项 '--limit <n>' 缺少取值\n（加 --help 查看用法）\n"],
    [['rules', 'lint', 'extra'], '错误：lint 的参数过多：应为 0 个，实际为 1 个\n（加 --help 查看用法）\n'],
  ])('%j: exit 2, in Chinese', async (argv, expected) => {
    expect(await main(argv)).toBe(2);
    expect(stderr).toBe(expected);
  });

  it('--lang en leaves them as commander writes them', async () => {
    expect(await main(['users', 'list', '--bogus', '--lang', 'en'])).toBe(2);
    expect(stderr).toBe("error: unknown option '--bogus'\n(run with --help for usage)\n");
  });
});

/** Every command of `program` (itself included), parents first. */
function commandsOf(command: Command): Command[] {
  return [command, ...command.commands.flatMap(commandsOf)];
}

/** What `--help` describes: each command, argument and option, as [where, description]. */
function descriptions(program: Command): Array<[string, string]> {
  return commandsOf(program).flatMap((c) => {
    const path = c === program ? c.name() : `${c.parent === program ? '' : `${c.parent!.name()} `}${c.name()}`;
    return [
      [path, c.description()] as [string, string],
      // Arguments without a description (`show <id>`) are not listed.
      ...c.registeredArguments.filter((a) => a.description).map((a): [string, string] => [`${path} <${a.name()}>`, a.description]),
      ...c.options.map((o): [string, string] => [`${path} ${o.long ?? o.flags}`, o.description]),
    ];
  });
}

/** The whole `--help` of a command: commander's part and the text added after it. */
function helpOf(command: Command): string {
  let out = '';
  command.configureOutput({ writeOut: (text) => (out += text) });
  command.outputHelp();
  return out;
}

/** Words of an English sentence; a Chinese text keeps only names (options, codes, files, README titles in quotes). */
const ENGLISH = /\b(?:the|a|an|of|or|and|to|for|in|on|with|by|is|are|not|when|what|which|at most|per)\b/i;
const withoutQuotes = (text: string) => text.replace(/“[^”]*”|"[^"]*"|`[^`]*`|--[a-z-]+|<[^>]*>/g, '');

describe('--help', () => {
  const zh = descriptions(buildProgram('zh'));
  const en = descriptions(buildProgram('en'));

  it('describes every command, argument and option in Chinese, and in English with --lang en', () => {
    expect(zh.map(([where]) => where)).toEqual(en.map(([where]) => where));
    const untranslated = zh.filter(([, text], i) => {
      const english = en[i]![1];
      if (!/\p{Script=Han}/u.test(text)) return true;
      // A list of codes and their Chinese names reads the same in both languages.
      return text === english ? ENGLISH.test(withoutQuotes(text)) : ENGLISH.test(withoutQuotes(text)) || !/[a-z]{3}/i.test(english);
    });
    expect(untranslated).toEqual([]);
  });

  it("writes every command's whole help in Chinese: headings, notes and the text after the options", () => {
    const english = commandsOf(buildProgram('zh')).flatMap((c) =>
      helpOf(c)
        .split('\n')
        .filter((line) => ENGLISH.test(withoutQuotes(line)) || /^(?:Usage|Options|Commands|Arguments):/.test(line))
        .map((line) => `${c.name()}: ${line}`),
    );
    expect(english).toEqual([]);
  });

  it('wraps Chinese between characters within the width, punctuation kept with its character', () => {
    const text = '用 --outcome 和 --note 办结核实中的任务（in_progress → closed），结果为 identified 时须给出风险类型。';
    const lines = wrapText(text, 24).split('\n');
    expect(lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(24);
    for (const line of lines.slice(1)) expect(line).not.toMatch(/^[，。、；：）]/);
    expect(lines.length).toBeGreaterThan(3);
  });
});
