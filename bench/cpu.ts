/**
 * CPU time of processes, read from /proc (Linux): what a benchmark's run cost each process, so
 * a figure can say where the machine's cores went — the worker or server processes, PostgreSQL,
 * the load generator.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** CPU time (user + system) a process has used so far, ms; 0 when it is gone. */
export function cpuMs(pid: number): number {
  try {
    // Fields 14 and 15 of /proc/<pid>/stat, counted after the command name in parentheses; clock ticks of 10 ms.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/**
 * CPU time so far of every PostgreSQL process on this machine (backends and background processes), ms. A process
 * that starts and ends between two readings (an autovacuum worker) is not seen: differences are lower bounds.
 */
export function postgresCpuMs(): number {
  let total = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/comm`, 'utf8').trim() === 'postgres') total += cpuMs(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return total;
}
