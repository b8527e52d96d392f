/**
 * What Linux says about a running process: its child processes and the TCP sockets it listens on.
 * Read from /proc, so tests check the real process tree and the real bound addresses.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Direct children of `pid`, over all its threads. */
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

export interface ListeningSocket {
  /** As URL hostnames print them: `127.0.0.1`, `[::]`, `[::1]`. */
  address: string;
  port: number;
}

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

/** False once `pid` has exited (a zombie not yet reaped by its new parent counts as exited). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
