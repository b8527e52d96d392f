/**
 * What Linux says about running processes, read from /proc, for the tests and the benchmark: a
 * process's children and whole tree, whether it still runs, which processes carry an environment
 * marker, the TCP sockets it listens on, and the memory and CPU time of a tree.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const CLK_TCK = 100; // Linux USER_HZ; `getconf CLK_TCK` is 100 on every mainstream kernel build.

/** Fields of /proc/<pid>/stat after "(comm)" (state first, then ppid), or undefined once it is gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may contain spaces and parentheses.
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

const pidEntries = () => readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));

/** False once `pid` has exited: a zombie not yet reaped by its parent runs no more code and counts as exited. */
export function isRunning(pid: number): boolean {
  const state = statFields(pid)?.[0];
  return state !== undefined && state !== 'Z' && state !== 'X';
}

/** The parent pid of `pid`, or undefined once it is gone. */
export function parentPid(pid: number): number | undefined {
  const ppid = Number(statFields(pid)?.[1]);
  return Number.isFinite(ppid) ? ppid : undefined;
}

/** Direct children of `pid`, over all its threads (throws if `pid` is gone). */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    let text = '';
    try {
      text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
    } catch {
      continue; // the thread ended while we looked
    }
    children.push(...text.split(/\s+/).filter(Boolean).map(Number));
  }
  return children;
}

/** The process and all its descendants, found through each process's parent pid. */
export function treePids(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of pidEntries()) {
    const ppid = parentPid(Number(entry));
    if (ppid === undefined) continue;
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

/** Pids of live processes whose environment contains `NAME=value` (cluster workers inherit it). */
export function processesWithEnv(name: string, value: string): number[] {
  const needle = `${name}=${value}`;
  const pids: number[] = [];
  for (const entry of pidEntries()) {
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(needle) && isRunning(Number(entry))) pids.push(Number(entry));
    } catch {
      // gone, or not ours
    }
  }
  return pids;
}

export interface ListeningSocket {
  /** As URL hostnames print them: `127.0.0.1`, `[::]`, `[::1]`. */
  address: string;
  port: number;
}

/** Whether a ListeningSocket address is a loopback one (IPv4, IPv6, or IPv4-mapped IPv6). */
export const isLoopback = (address: string) => /^127\./.test(address) || address === '[::1]' || /^\[::ffff:127\./.test(address);

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]!);
    } catch {
      // the descriptor closed while we looked
    }
  }
  return inodes;
}

/** /proc/net/tcp* print each 32-bit word of an address in host (little-endian) byte order. */
function decodeAddress(hex: string): string {
  const bytes = (hex.match(/.{8}/g) ?? []).flatMap((word) => (word.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)));
  if (bytes.length === 4) return bytes.join('.');
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname;
}

const LISTEN = '0A';

/** Every TCP socket `pid` holds in the listening state, with the address it is bound to. */
export function listeningSockets(pid: number): ListeningSocket[] {
  const inodes = socketInodes(pid);
  const found: ListeningSocket[] = [];
  for (const table of ['tcp', 'tcp6']) {
    const rows = readFileSync(`/proc/${pid}/net/${table}`, 'utf8').trim().split('\n').slice(1);
    for (const row of rows) {
      const cols = row.trim().split(/\s+/);
      const [addressHex, portHex] = cols[1]!.split(':');
      if (cols[3] !== LISTEN || !inodes.has(cols[9]!)) continue;
      found.push({ address: decodeAddress(addressHex!), port: parseInt(portHex!, 16) });
    }
  }
  return found;
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

/** utime + stime of every process in the list, in seconds. */
export function treeCpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const fields = statFields(pid);
    if (fields) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / CLK_TCK;
}
