/**
 * commander's own refusals in Chinese by default and as written with --lang en: the program is
 * run in-process (main) on command lines commander itself refuses, and every template of
 * src/cli/commander-text.ts must have turned its line into Chinese.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';

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
