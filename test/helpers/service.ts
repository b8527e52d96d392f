/**
 * Test helpers that run the real CLI (compiled to dist/ by `npm test`'s pretest) on a throwaway
 * service root: real processes, real sockets, real signals.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { sleep } from './http.js';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = join(REPO, 'dist/src/cli/main.js');

export type LogLine = Record<string, unknown> & { type?: string; level?: string; pid?: number };

/** Writes service.json and an entry module (plus any other files) into a new temp folder. */
export function makeServiceRoot(files: { serviceJson?: unknown; entry?: string; entryName?: string; extra?: Record<string, string> }) {
  const root = mkdtempSync(join(tmpdir(), 'svc-'));
  if (files.serviceJson !== undefined) {
    const text = typeof files.serviceJson === 'string' ? files.serviceJson : JSON.stringify(files.serviceJson, null, 2);
    writeFileSync(join(root, 'service.json'), text);
  }
  if (files.entry !== undefined) writeFileSync(join(root, files.entryName ?? 'index.js'), files.entry);
  for (const [name, text] of Object.entries(files.extra ?? {})) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

export interface RunningService {
  child: ChildProcess;
  lines: LogLine[];
  /** Raw stdout+stderr text, for lines that are not JSON. */
  output(): string;
  /** Resolves with the first log line (already seen or future) that matches. */
  waitForLine(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Resolves when the process exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** Port from the `up` line (waits for it). */
  up(timeoutMs?: number): Promise<{ port: number; line: LogLine }>;
  kill(signal?: NodeJS.Signals): void;
}

export interface StartOptions {
  env?: Record<string, string | undefined>;
  args?: string[];
  nodeArgs?: string[];
  /** Run this command line instead of `node dist/src/cli/main.js start <root>` (e.g. the bin, or npx). */
  command?: string[];
  cwd?: string;
}

export function startService(root: string, opts: StartOptions = {}): RunningService {
  const env: Record<string, string | undefined> = { ...process.env, PORT: '0', ...opts.env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const [file, ...argv] = opts.command ?? [process.execPath, ...(opts.nodeArgs ?? []), CLI, 'start', root, ...(opts.args ?? [])];
  const child = spawn(file!, argv, {
    cwd: opts.cwd,
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  let raw = '';
  const waiters: Array<{ match: (l: LogLine) => boolean; resolve: (l: LogLine) => void }> = [];
  const onData = (() => {
    const buffers = new Map<NodeJS.ReadableStream, string>();
    return (stream: NodeJS.ReadableStream) => (chunk: Buffer) => {
      const text = (buffers.get(stream) ?? '') + chunk.toString();
      raw += chunk.toString();
      const parts = text.split('\n');
      buffers.set(stream, parts.pop()!);
      for (const part of parts) {
        let line: LogLine;
        try {
          line = JSON.parse(part);
        } catch {
          continue;
        }
        lines.push(line);
        for (const w of [...waiters]) {
          if (w.match(line)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(line);
          }
        }
      }
    };
  })();
  child.stdout!.on('data', onData(child.stdout!));
  child.stderr!.on('data', onData(child.stderr!));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  const service: RunningService = {
    child,
    lines,
    output: () => raw,
    waitForLine(match, timeoutMs = 15_000) {
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching log line within ${timeoutMs} ms; output:\n${raw}`)), timeoutMs);
        waiters.push({
          match,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
        void exited.then(() => setTimeout(() => {
          clearTimeout(timer);
          reject(new Error(`process exited before a matching log line; output:\n${raw}`));
        }, 50));
      });
    },
    exited,
    async up(timeoutMs) {
      const line = await service.waitForLine((l) => l.type === 'up', timeoutMs);
      return { port: line.port as number, line };
    },
    kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
  return service;
}

/**
 * Resolves once the process exited and its stdout/stderr were read to the end: `exited` follows
 * the 'exit' event, which can come before the last lines were read from the pipes.
 */
export async function settled(svc: RunningService) {
  const exit = await svc.exited;
  const closed = (stream: Readable | null) => (stream && !stream.closed ? once(stream, 'close') : undefined);
  await Promise.race([Promise.all([closed(svc.child.stdout), closed(svc.child.stderr)]), sleep(5_000)]);
  return exit;
}

/** Kill every service a test started, whatever state it was left in. */
export function trackServices() {
  const started: RunningService[] = [];
  return {
    start(root: string, opts?: Parameters<typeof startService>[1]) {
      const s = startService(root, opts);
      started.push(s);
      return s;
    },
    async cleanup() {
      await Promise.all(
        started.splice(0).map(async (s) => {
          s.kill('SIGKILL');
          await s.exited;
        }),
      );
    },
  };
}

/** Cluster mode: the primary logs one `worker-online` line each time a worker starts listening. */
export const isWorkerOnline = (line: LogLine) => line.type === 'worker-online';

/** Waits until `count` worker-online lines were logged in total (respawns included); returns them. */
export async function workersOnline(svc: RunningService, count: number, timeoutMs?: number) {
  await svc.waitForLine(() => svc.lines.filter(isWorkerOnline).length >= count, timeoutMs);
  return svc.lines.filter(isWorkerOnline);
}
