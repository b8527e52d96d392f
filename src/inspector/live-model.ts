/**
 * What the live page shows, worked out on the relay from each publisher's messages and from its
 * connection: the processes (by pid, placed in a tree by role, ppid and slot) with their current
 * state, and a bounded log of transitions, forks and exits. No I/O and no timers: every change is
 * handed to `emit` as a small delta for the viewers.
 */
import type { LiveDelta, LiveProcess, LogEntry } from './page/live-types.js';
import type { ProcessHello, WorkerExitReport, WorkerForkReport } from './publisher-messages.js';
import { stateName } from '../core/run.js';

export const MAX_LOG = 1_000;
/** Ended processes kept for the page; older ones are forgotten (a crash loop forks many). */
export const MAX_ENDED = 200;

/** One publisher's connection: its pid once it said hello. */
export interface Publisher {
  pid?: number;
}

interface Tracked extends LiveProcess {
  rootSession?: string;
  connected: boolean;
}

type Inspection = {
  type: string;
  sessionId: string;
  rootId?: string;
  parentId?: string;
  createdAt?: string;
  event?: { type: string };
  snapshot?: { status?: string; value?: unknown; context?: { exitCode?: number; error?: unknown } };
};

const ended = (p: LiveProcess) => p.status === 'exited' || p.status === 'lost';

export class LiveModel {
  private readonly processes = new Map<number, Tracked>();
  private readonly log: LogEntry[] = [];
  private seq = 0;

  constructor(private readonly emit: (delta: LiveDelta) => void = () => {}) {}

  snapshot(): { processes: LiveProcess[]; log: LogEntry[] } {
    return { processes: [...this.processes.values()].map(shown), log: this.log.slice(-500) };
  }

  /** A publisher said who it is. The same process again (a reconnect) keeps what is known of it. */
  hello(conn: Publisher, msg: ProcessHello) {
    conn.pid = msg.pid;
    const known = this.processes.get(msg.pid);
    const p = known && !(ended(known) && known.firstSeen < msg.startedAt) ? known : this.track(msg.pid);
    Object.assign(p, { ppid: msg.ppid, role: msg.role, slot: msg.slot ?? p.slot, connected: true, status: p.status === 'exited' ? 'exited' : 'live' });
    this.put(p);
  }

  /** One validated inspection event from the publisher `conn`. */
  inspection(conn: Publisher, msg: Inspection) {
    const p = this.processes.get(conn.pid!);
    if (!p) return;
    if (msg.type === '@xstate.actor' && !msg.parentId) {
      p.rootSession = msg.sessionId;
      return;
    }
    if (msg.type !== '@xstate.snapshot' || msg.sessionId !== (msg.rootId ?? p.rootSession)) return;
    const { status, value, context } = msg.snapshot!;
    const t = msg.createdAt ? Number(msg.createdAt) : Date.now();
    if (value !== undefined) {
      const to = stateName(value);
      if (to !== p.state) {
        this.entry({ kind: 'transition', t, ...who(p), from: p.state, to, event: msg.event!.type });
        Object.assign(p, { state: to, since: t });
      }
    }
    if (status === 'done' && p.status !== 'exited') {
      const error = typeof context?.error === 'string' ? context.error.slice(0, 500) : null;
      Object.assign(p, { status: 'exited', exitCode: context?.exitCode ?? null, error, endedAt: t });
      this.entry({ kind: 'exit', t, ...who(p), code: p.exitCode, error });
    }
    this.put(p);
  }

  /** A primary forked a worker into a slot. */
  forked(conn: Publisher, msg: WorkerForkReport) {
    const w = this.processes.get(msg.workerPid) ?? this.track(msg.workerPid);
    Object.assign(w, { ppid: conn.pid, role: 'worker', slot: msg.slot });
    this.entry({ kind: 'fork', t: Date.now(), ...who(w) });
    this.put(w);
  }

  /** A primary saw its worker exit: the only word on a worker killed by a signal. */
  workerExited(conn: Publisher, msg: WorkerExitReport) {
    const w = this.processes.get(msg.workerPid) ?? Object.assign(this.track(msg.workerPid), { ppid: conn.pid ?? null, role: 'worker', slot: msg.slot });
    const wasExited = w.status === 'exited';
    Object.assign(w, { status: 'exited', signal: msg.signal, exitCode: w.exitCode ?? msg.code, endedAt: w.endedAt ?? Date.now() });
    // A drained worker logged its exit with its final state already.
    if (!wasExited) this.entry({ kind: 'exit', t: w.endedAt!, ...who(w), code: msg.code, signal: msg.signal });
    this.put(w);
    this.prune();
  }

  /**
   * A publisher's connection closed. A worker whose primary is still connected is left to the
   * primary's exit report; anything else that had not exited ended without a word: lost.
   */
  closed(conn: Publisher) {
    const p = this.processes.get(conn.pid!);
    if (!p) return;
    p.connected = false;
    const parent = p.ppid === null ? undefined : this.processes.get(p.ppid);
    if (!(p.role === 'worker' && parent?.connected)) this.lose(p);
    // Its workers that are not connected now have nobody to report their end.
    for (const w of this.processes.values()) if (w.ppid === p.pid && !w.connected) this.lose(w);
    this.put(p);
    this.prune();
  }

  private lose(p: Tracked) {
    if (ended(p)) return;
    Object.assign(p, { status: 'lost', endedAt: Date.now() });
    this.entry({ kind: 'lost', t: p.endedAt!, ...who(p) });
    this.put(p);
  }

  private track(pid: number): Tracked {
    const p: Tracked = {
      pid,
      ppid: null,
      role: null,
      slot: null,
      status: 'forked',
      state: null,
      since: null,
      exitCode: null,
      signal: null,
      error: null,
      endedAt: null,
      firstSeen: Date.now(),
      connected: false,
    };
    this.processes.set(pid, p);
    return p;
  }

  private entry(e: Omit<LogEntry, 'seq'>) {
    const entry = { seq: ++this.seq, ...e };
    this.log.push(entry);
    if (this.log.length > MAX_LOG) this.log.splice(0, this.log.length - MAX_LOG);
    this.emit({ type: 'log', entry });
  }

  private put(p: Tracked) {
    this.emit({ type: 'process', process: shown(p) });
  }

  private prune() {
    const gone = [...this.processes.values()].filter(ended);
    for (const p of gone.slice(0, Math.max(0, gone.length - MAX_ENDED))) {
      this.processes.delete(p.pid);
      this.emit({ type: 'forget', pid: p.pid });
    }
  }
}

const who = (p: LiveProcess) => ({ pid: p.pid, role: p.role, slot: p.slot, ppid: p.ppid });

function shown({ rootSession: _session, connected: _connected, ...process }: Tracked): LiveProcess {
  return process;
}
