/**
 * The problems (or warnings) of one import: every row is counted, and the MAX_LISTED_PROBLEMS
 * entries with the lowest row numbers are listed — whatever order they are found in (rows are
 * checked as they are read, and against the database per batch or once at the end of the file).
 * Pure; memory is bounded by the listed entries.
 */
import type { Texts } from '../errors.js';
import { type RowProblem, rowProblem } from './import.types.js';

/** Problems (and, apart, warnings) listed in a report at most; the last entry then says how many more there were. */
const MAX_LISTED_PROBLEMS = 10_000;

interface Entry {
  /** Order of arrival: entries of the same row stay in the order they were found. */
  seq: number;
  problem: RowProblem;
}

/** True when `a` is listed after `b`. */
function after(a: Entry, b: Entry): boolean {
  return a.problem.row > b.problem.row || (a.problem.row === b.problem.row && a.seq > b.seq);
}

export class Problems {
  /** The listed entries as a max-heap: the entry listed last is on top. */
  private readonly heap: Entry[] = [];
  /** Rows with at least one entry. */
  rows = 0;
  /** Entries, listed or not. */
  count = 0;
  private omitted = 0;
  private firstOmittedRow = Number.POSITIVE_INFINITY;

  /** `of` says what the entries are, for the "more … are not listed" line. */
  constructor(private readonly of: 'problems' | 'warnings' = 'problems') {}

  /** `newRow`: the first entry of its row (rows are counted apart from entries). */
  add(row: number, column: string | null, texts: Texts, newRow: boolean): void {
    if (newRow) this.rows++;
    const entry: Entry = { seq: this.count++, problem: rowProblem(row, column, texts) };
    const heap = this.heap;
    if (heap.length < MAX_LISTED_PROBLEMS) {
      heap.push(entry);
      this.siftUp(heap.length - 1);
      return;
    }
    const last = heap[0]!;
    if (after(entry, last)) return this.omit(row);
    heap[0] = entry;
    this.siftDown(0);
    this.omit(last.problem.row);
  }

  /** The listed entries in row order, then a line saying how many more there are (if any). */
  sorted(): RowProblem[] {
    const out = [...this.heap].sort((a, b) => (after(a, b) ? 1 : -1)).map((e) => e.problem);
    if (this.omitted > 0) {
      const [n, from] = [this.omitted, this.firstOmittedRow];
      out.push(
        rowProblem(from, null, {
          zh: `另有 ${n} ${this.of === 'warnings' ? '条警告' : '个问题'}（从第 ${from} 行起）未列出`,
          en: `${n} more ${this.of} from row ${from} on are not listed`,
        }),
      );
    }
    return out;
  }

  private omit(row: number): void {
    this.omitted++;
    this.firstOmittedRow = Math.min(this.firstOmittedRow, row);
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!after(heap[i]!, heap[parent]!)) return;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let top = i;
      if (left < heap.length && after(heap[left]!, heap[top]!)) top = left;
      if (right < heap.length && after(heap[right]!, heap[top]!)) top = right;
      if (top === i) return;
      [heap[i], heap[top]] = [heap[top]!, heap[i]!];
      i = top;
    }
  }
}
