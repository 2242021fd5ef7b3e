/** Writes a report's workbook to a file: to a temporary name first, then renamed (never a half-written file). */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { Report } from './report.types.js';
import { reportWorkbook } from './report.xlsx.js';

/** Returns the absolute path written. Throws InputError naming the file when it cannot be written. */
export async function writeReportFile(report: Report, path: string): Promise<string> {
  const file = resolve(path);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(tmp, await reportWorkbook(report));
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    const reason = (error as Error).message;
    throw new InputError({ zh: `${file}：无法写入报告：${reason}`, en: `${file}: cannot write the report: ${reason}` });
  }
  return file;
}
