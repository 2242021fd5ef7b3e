/**
 * The layering rules of .dependency-cruiser.cjs (docs/architecture.md) refuse what they should:
 * for each rule, a small tree with one violating import is cruised with the project's own
 * configuration and must fail naming that rule, while the same tree without the import passes.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const run = promisify(execFile);
const trees: string[] = [];

afterAll(() => {
  for (const dir of trees) rmSync(dir, { recursive: true, force: true });
});

/** A scratch project with the given files (path → source), cruised with the real configuration. */
async function cruise(files: Record<string, string>): Promise<{ ok: boolean; rules: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'iw-depcruise-'));
  trees.push(dir);
  cpSync(join(ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  mkdirSync(join(dir, 'workers'), { recursive: true });
  for (const [path, source] of Object.entries({ 'src/lib/ok.ts': 'export const ok = 1;\n', ...files })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), source);
  }
  const args = [DEPCRUISE, 'src', 'workers', '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json'];
  const { stdout } = await run(process.execPath, args, { cwd: dir, maxBuffer: 16 << 20 });
  const report = JSON.parse(stdout) as { summary: { error: number; violations: { rule: { name: string } }[] } };
  return { ok: report.summary.error === 0, rules: [...new Set(report.summary.violations.map((v) => v.rule.name))].sort() };
}

const cases: { rule: string; files: Record<string, string> }[] = [
  {
    rule: 'rules-are-pure',
    files: {
      'src/db/database.ts': 'export const db = 1;\n',
      'src/rules/evaluate.ts': "import { db } from '../db/database.js';\nexport const x = db;\n",
    },
  },
  { rule: 'rules-are-pure', files: { 'src/rules/evaluate.ts': "import { Kysely } from 'kysely';\nexport const x = Kysely;\n" } },
  {
    rule: 'src-does-not-import-workers',
    files: {
      'workers/cycle.worker.ts': 'export const w = 1;\n',
      'src/cycle/demo.service.ts': "import { w } from '../../workers/cycle.worker.js';\nexport const x = w;\n",
    },
  },
  {
    rule: 'ingest-knows-no-consumers',
    files: {
      'src/notify/digest.service.ts': 'export const d = 1;\n',
      'src/ingest/import.ts': "import { d } from '../notify/digest.service.js';\nexport const x = d;\n",
    },
  },
  { rule: 'faces-use-repositories', files: { 'src/http/routes/api.routes.ts': "import { sql } from 'kysely';\nexport const x = sql;\n" } },
  {
    rule: 'faces-use-repositories',
    files: {
      'src/db/tables/task.table.ts': 'export interface TaskTable { id: number }\n',
      'src/cli/tasks.command.ts': "import type { TaskTable } from '../db/tables/task.table.js';\nexport type X = TaskTable;\n",
    },
  },
  { rule: 'sql-in-repositories', files: { 'src/cycle/cycle.service.ts': "import { sql } from 'kysely';\nexport const x = sql;\n" } },
  {
    rule: 'cases-know-no-cycle',
    files: {
      'src/cycle/cycle.service.ts': 'export const c = 1;\n',
      'src/cases/task.service.ts': "import { c } from '../cycle/cycle.service.js';\nexport const x = c;\n",
    },
  },
  {
    rule: 'cycle-reads-no-views',
    files: {
      'src/views/dashboard.repository.ts': 'export const v = 1;\n',
      'src/cycle/rule-set.provider.ts': "import { v } from '../views/dashboard.repository.js';\nexport const x = v;\n",
    },
  },
  {
    rule: 'notify-knows-no-faces',
    files: {
      'src/http/server.ts': 'export const h = 1;\n',
      'src/notify/digest.service.ts': "import { h } from '../http/server.js';\nexport const x = h;\n",
    },
  },
  {
    rule: 'leaves-stay-leaves',
    files: {
      'src/ingest/input-limits.ts': 'export const l = 1;\n',
      'src/lib/exceljs.ts': "import { l } from '../ingest/input-limits.js';\nexport const x = l;\n",
    },
  },
  {
    rule: 'no-cycles',
    files: {
      'src/lib/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'src/lib/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
    },
  },
];

describe('dependency rules', () => {
  it.each(cases.map((c, i) => [`${c.rule} #${i}`, c] as const))('refuses a tree breaking %s', { timeout: 30_000 }, async (_name, c) => {
    const result = await cruise(c.files);
    expect(result.ok).toBe(false);
    expect(result.rules).toContain(c.rule);
  });

  it('accepts the same shapes along the allowed direction', { timeout: 30_000 }, async () => {
    const result = await cruise({
      'src/rules/facts.ts': 'export const f = 1;\n',
      'src/cycle/cycle.service.ts':
        "import { f } from '../rules/facts.js';\nimport type { Kysely } from 'kysely';\nexport const x = f;\nexport type K = Kysely<object>;\n",
      'src/cycle/cycle.repository.ts': "import { sql } from 'kysely';\nexport const q = sql;\n",
      'src/ingest/import.ts': "import { f } from '../rules/facts.js';\nexport const y = f;\n",
      'workers/cycle.worker.ts': "import { x } from '../src/cycle/cycle.service.js';\nexport const w = x;\n",
    });
    expect(result).toEqual({ ok: true, rules: [] });
  });
});
