/**
 * The rule set a long-running process should use now. Before each `current()` it stats the
 * rule files (cheap) and reloads only when a name, size or mtime changed; a broken edit is
 * refused — the last good set keeps being returned and the problem is kept in `lastError`.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type AppError, isAppError } from '../errors.js';
import { buildRuleSet, isRuleSetFile, readRuleFiles, unreadableRuleDirectory } from './rule-set.loader.js';
import type { RuleSet } from './types.js';

export class RuleSetSource {
  readonly dir: string;
  #good: RuleSet | undefined;
  #signature: string | undefined;
  #lastError: AppError | undefined;
  #pending: Promise<RuleSet> | undefined;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Why the latest edit was refused; undefined once the files load cleanly again. */
  get lastError(): AppError | undefined {
    return this.#lastError;
  }

  /**
   * The current good rule set, reloaded if the files changed. Throws only when no good set
   * was ever loaded (AppError 'IW_RULES'). Concurrent callers share one reload.
   */
  current(): Promise<RuleSet> {
    this.#pending ??= this.#refresh().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #refresh(): Promise<RuleSet> {
    let signature: string;
    try {
      signature = await this.#stat();
    } catch (error) {
      return this.#refuse(unreadableRuleDirectory(this.dir, error));
    }
    if (signature === this.#signature && this.#good) return this.#good;
    try {
      const sources = await readRuleFiles(this.dir);
      const set = buildRuleSet(this.dir, sources);
      this.#good = set;
      this.#lastError = undefined;
      this.#signature = signature;
      return set;
    } catch (error) {
      this.#signature = signature;
      return this.#refuse(error);
    }
  }

  #refuse(error: unknown): RuleSet {
    if (!isAppError(error)) throw error;
    this.#lastError = error;
    if (!this.#good) throw error;
    return this.#good;
  }

  /** Names, sizes and mtimes of the top-level JSON files. */
  async #stat(): Promise<string> {
    const entries = await readdir(this.dir, { withFileTypes: true });
    const names = entries.filter((e) => e.isFile() && isRuleSetFile(e.name)).map((e) => e.name).sort();
    const parts = await Promise.all(
      names.map(async (name) => {
        const s = await stat(join(this.dir, name));
        return `${name}:${s.size}:${s.mtimeMs}`;
      }),
    );
    return parts.join('|');
  }
}
