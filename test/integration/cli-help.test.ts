/**
 * `--help` as operators see it, from the real command line: Chinese by default (headings,
 * descriptions, commander's own lines, the notes and the text after the options), English with
 * `--lang en`. Needs no database. The walk over every command is test/unit/commander-text.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

describe('income-watch --help', () => {
  it('is Chinese by default and English with --lang en', async () => {
    const [program, importZh, importEn] = await Promise.all([
      runCli(['--help']),
      runCli(['import', '--help']),
      runCli(['import', '--help', '--lang', 'en']),
    ]);
    for (const r of [program, importZh, importEn]) expect(r.code).toBe(0);

    expect(program.stdout).toMatch(/^用法： income-watch \[options\] \[command\]\n\n收入监测预警：/);
    expect(program.stdout).toContain('\n选项：\n  -h, --help ');
    expect(program.stdout).toMatch(/\n命令：\n {2}db +数据库管理\n {2}import \[options\] <kind> <file> +导入区县、农户/);
    expect(program.stdout).toMatch(/\n {2}help \[command\] +显示命令的帮助\n/);
    expect(program.stdout).not.toMatch(/Usage:|Options:|Commands:|display help/);

    expect(importZh.stdout).toMatch(/\n参数：\n {2}kind +文件的内容（可选："counties", "households",/);
    expect(importZh.stdout).toMatch(/\n {2}--strict +有任何一行被拒绝时不写入任何数据\n/);
    expect(importZh.stdout).toMatch(/\n {2}-h, --help +显示帮助\n/);
    expect(importZh.stdout).toContain('\n退出状态：0 所有行都已导入');

    expect(importEn.stdout).toMatch(/^Usage: income-watch import \[options\] <kind> <file>\n\nimport a CSV or XLSX file/);
    expect(importEn.stdout).toMatch(/\nArguments:\n {2}kind +what the file holds \(choices: "counties", "households",/);
    expect(importEn.stdout).toMatch(/\nOptions:\n {2}--strict +write nothing when any row is rejected\n/);
    expect(importEn.stdout).toMatch(/\n {2}-h, --help +display help for command\n/);
    expect(importEn.stdout).toContain('\nExit status: 0 every row imported');
    expect(importEn.stdout).not.toMatch(/用法|参数：|选项：|显示帮助|退出状态/);
  });
});
