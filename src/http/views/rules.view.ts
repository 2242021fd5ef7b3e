/**
 * What the rules page shows: the active rule directory linted (version, rules, parameters,
 * problems), the version the last cycle used, and, when a draft directory is configured,
 * the draft linted and compared file by file. Read-only: nothing is written.
 */
import type { Db } from '../../db/database.js';
import { isAppError, type Texts } from '../../errors.js';
import { recentCycles } from '../../views/dashboard.repository.js';
import { type RuleFilesStatus, ruleFilesStatus } from '../../cycle/rule-set.provider.js';
import { lintRuleFiles } from '../../rules/rule-set.linter.js';
import { readRuleFiles, ruleSetVersion } from '../../rules/rule-set.loader.js';
import { previewDraft } from './rules-preview.view.js';
import type { PreviewReport } from '../../rules/preview.js';
import type { LintReport, RuleDefinition, RuleParameters } from '../../rules/types.js';

export interface RuleDirView {
  dir: string;
  /** Set when the directory cannot be read at all (English, as the API gives it). */
  readError: string | null;
  /** The same in both languages, for the page. */
  readErrorTexts: Texts | null;
  version: string | null;
  lint: LintReport;
  rules: RuleDefinition[];
  parameters: RuleParameters | null;
  files: Record<string, unknown>;
}

export interface RuleChange {
  file: string;
  ruleId: string | null;
  change: 'added' | 'removed' | 'changed';
}

export interface RulesPageData {
  active: RuleDirView;
  /** Whether the active files are broken and which version cycles use meanwhile. */
  status: RuleFilesStatus;
  lastCycle: { id: number; period: string; version: string } | null;
  draft: (RuleDirView & { changes: RuleChange[] }) | null;
  /** Preview of the draft on stored data, when asked for (null: not computed). */
  preview: PreviewReport | null;
  previewError: Texts | null;
}

/** Reads and lints a rule directory. Never throws. */
export async function loadRuleDir(dir: string): Promise<RuleDirView> {
  try {
    const sources = await readRuleFiles(dir);
    const { report, rules, parameters, files } = lintRuleFiles(sources);
    return { dir, readError: null, readErrorTexts: null, version: ruleSetVersion(sources), lint: report, rules, parameters, files };
  } catch (error) {
    const texts = isAppError(error) ? error.texts : { zh: String(error), en: String(error) };
    const empty = { version: null, lint: { errors: [], warnings: [] }, rules: [], parameters: null, files: {} };
    return { dir, readError: texts.en, readErrorTexts: texts, ...empty };
  }
}

/** Files added, removed or changed between two rule directories (by parsed JSON). */
export function compareRuleDirs(active: RuleDirView, draft: RuleDirView): RuleChange[] {
  const changes: RuleChange[] = [];
  const idOf = (json: unknown) =>
    json && typeof json === 'object' && typeof (json as { id?: unknown }).id === 'string' ? (json as { id: string }).id : null;
  const names = [...new Set([...Object.keys(active.files), ...Object.keys(draft.files)])].sort();
  for (const file of names) {
    const a = active.files[file];
    const d = draft.files[file];
    if (a === undefined) changes.push({ file, ruleId: idOf(d), change: 'added' });
    else if (d === undefined) changes.push({ file, ruleId: idOf(a), change: 'removed' });
    else if (JSON.stringify(a) !== JSON.stringify(d)) changes.push({ file, ruleId: idOf(d) ?? idOf(a), change: 'changed' });
  }
  return changes;
}

export interface RulesViewOptions {
  rulesDir: string;
  draftDir?: string;
  /** Compute the draft's preview over stored data (expensive: every household). */
  withPreview?: boolean;
}

export async function loadRulesView(db: Db, options: RulesViewOptions): Promise<RulesPageData> {
  const [active, cycles, status] = await Promise.all([
    loadRuleDir(options.rulesDir),
    recentCycles(db, 1),
    ruleFilesStatus(db, options.rulesDir),
  ]);
  const last = cycles[0];
  let draft: RulesPageData['draft'] = null;
  let preview: RulesPageData['preview'] = null;
  let previewError: Texts | null = null;
  if (options.draftDir) {
    const dir = await loadRuleDir(options.draftDir);
    draft = { ...dir, changes: compareRuleDirs(active, dir) };
    if (options.withPreview && !dir.readError && dir.lint.errors.length === 0) {
      try {
        preview = await previewDraft(db, { draftDir: options.draftDir, currentDir: options.rulesDir });
      } catch (error) {
        previewError = isAppError(error) ? error.texts : { zh: '预览失败', en: 'preview failed' };
      }
    }
  }
  return {
    active,
    status,
    lastCycle: last ? { id: last.id, period: last.period, version: last.ruleSetVersion } : null,
    draft,
    preview,
    previewError,
  };
}
