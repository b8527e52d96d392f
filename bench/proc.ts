/** What the benchmark reads from /proc: a process tree, its memory and its CPU time. */
import { readdirSync, readFileSync } from 'node:fs';

const CLK_TCK = 100; // Linux USER_HZ; `getconf CLK_TCK` is 100 on every mainstream kernel build.

function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)"; comm may contain spaces and parentheses.
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The process and all its descendants, found through each process's parent pid. */
export function treePids(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = Number(statFields(Number(entry))?.[1]);
    if (!Number.isFinite(ppid)) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const pids: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    if (statFields(pid) === undefined) continue;
    pids.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return pids;
}

/** Gone or a zombie: it runs no more code and holds no memory. */
export function isAlive(pid: number): boolean {
  const state = statFields(pid)?.[0];
  return state !== undefined && state !== 'Z' && state !== 'X';
}

export interface TreeMemory {
  rssMiB: number;
  pssMiB: number;
  processes: number;
}

/** RSS and PSS summed over the tree from smaps_rollup (PSS splits shared pages among their users). */
export function treeMemory(root: number): TreeMemory {
  let rssKb = 0;
  let pssKb = 0;
  let processes = 0;
  for (const pid of treePids(root)) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    } catch {
      continue;
    }
    rssKb += Number(/^Rss:\s+(\d+)/m.exec(text)?.[1] ?? 0);
    pssKb += Number(/^Pss:\s+(\d+)/m.exec(text)?.[1] ?? 0);
    processes++;
  }
  return { rssMiB: rssKb / 1024, pssMiB: pssKb / 1024, processes };
}

/** utime + stime of every process in the tree, in seconds. */
export function treeCpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const fields = statFields(pid);
    if (fields) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / CLK_TCK;
}
