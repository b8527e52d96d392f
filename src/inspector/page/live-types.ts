/**
 * What the relay's `/live` socket tells the page: one `hello` with everything (the diagram and the
 * processes and log so far), then batches of deltas. Shared by the relay (Node) and the page (browser).
 */

/** `forked`: a primary forked it, it has not connected; `lost`: its connection ended without a final state. */
export type ProcessStatus = 'forked' | 'live' | 'exited' | 'lost';

export interface LiveProcess {
  pid: number;
  ppid: number | null;
  /** `main` or `worker`, as the process said in its hello. */
  role: string | null;
  slot: number | null;
  status: ProcessStatus;
  /** `servingInline.serving`; null until its first snapshot. */
  state: string | null;
  since: number | null;
  exitCode: number | null;
  signal: string | null;
  error: string | null;
  endedAt: number | null;
  firstSeen: number;
}

export interface LogEntry {
  seq: number;
  t: number;
  kind: 'transition' | 'exit' | 'lost' | 'fork';
  pid: number;
  role: string | null;
  slot: number | null;
  ppid: number | null;
  from?: string | null;
  to?: string;
  event?: string;
  code?: number | null;
  signal?: string | null;
  error?: string | null;
}

export type LiveDelta = { type: 'process'; process: LiveProcess } | { type: 'log'; entry: LogEntry } | { type: 'forget'; pid: number };

export interface LiveDiagram {
  /** Exactly what `service-lifecycle diagram` prints. */
  text: string;
  /** Every state path (`servingInline.serving`) and its Mermaid state id (`servingInline_serving`). */
  ids: Record<string, string>;
}

export type RelayMessage =
  | { type: 'hello'; relay: { pid: number }; diagram: LiveDiagram; processes: LiveProcess[]; log: LogEntry[] }
  | { type: 'batch'; items: LiveDelta[] };
