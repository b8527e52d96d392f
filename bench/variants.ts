/** The five variants, all serving bench/services/handlers.mjs, and how to start one of them. */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { isRunning, treePids } from '../support/proc.js';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SERVICES = join(REPO, 'bench/services');
const CLI = join(REPO, 'dist/src/cli/main.js');

export type VariantId = 'bare' | 'cluster1' | 'single' | 'ours2' | 'cluster2';

export interface Variant {
  id: VariantId;
  label: string;
  /** Processes in the tree once booted. */
  processes: number;
  args: string[];
}

export const VARIANTS: Variant[] = [
  { id: 'bare', label: 'bare Koa `.listen()`', processes: 1, args: [join(SERVICES, 'bare.mjs')] },
  { id: 'cluster1', label: 'raw node:cluster(1) (status quo)', processes: 2, args: [join(SERVICES, 'raw-cluster.mjs'), '1'] },
  { id: 'single', label: 'ours, single-process', processes: 1, args: [CLI, 'start', join(SERVICES, 'ours-single'), '--quiet'] },
  { id: 'ours2', label: 'ours, cluster(2)', processes: 3, args: [CLI, 'start', join(SERVICES, 'ours-cluster'), '--quiet'] },
  { id: 'cluster2', label: 'raw node:cluster(2)', processes: 3, args: [join(SERVICES, 'raw-cluster.mjs'), '2'] },
];

/**
 * A private copy of the node binary for the services: the harness's own node then shares no
 * text pages with them, so their PSS is what a replica alone would pay.
 */
export function privateNode(source = process.execPath): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-node-'));
  const path = join(dir, 'node-svc');
  copyFileSync(source, path);
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RunningVariant {
  child: ChildProcess;
  pid: number;
  port: number;
  spawnedAt: number;
  exited: Promise<number>;
  isDead(): boolean;
  stderr(): string;
  /** SIGKILL to the whole tree: cleanup after a failed measurement. */
  killTree(): void;
}

export function startVariant(variant: Variant, opts: { node: string; port: number; cpus?: string; env?: Record<string, string>; stdout?: 'pipe' }): RunningVariant {
  const [command, args] =
    opts.cpus === undefined ? [opts.node, variant.args] : ['taskset', ['-c', opts.cpus, opts.node, ...variant.args]];
  const spawnedAt = performance.now();
  const child = spawn(command, args, {
    cwd: REPO,
    env: { ...process.env, PORT: String(opts.port), NODE_OPTIONS: '', ...opts.env },
    stdio: ['ignore', opts.stdout ?? 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-4000)));
  let dead = false;
  const exited = new Promise<number>((resolveExit) =>
    child.once('exit', () => {
      dead = true;
      resolveExit(performance.now());
    }),
  );
  // taskset execs node in place, so the pid is the service's own.
  const pid = child.pid!;
  return {
    child,
    pid,
    port: opts.port,
    spawnedAt,
    exited,
    isDead: () => dead,
    stderr: () => err,
    killTree() {
      for (const p of dead ? [] : treePids(pid).reverse()) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
  };
}

/** Resolves with performance.now() once the top process and every pid in `pids` are gone. */
export async function treeExited(service: RunningVariant, pids: number[], timeoutMs: number): Promise<number> {
  const timeout = sleep(timeoutMs, undefined, { ref: false });
  const top = await Promise.race([service.exited, timeout]);
  if (top === undefined) throw new Error(`still running ${timeoutMs} ms after the signal`);
  let at = top;
  const until = performance.now() + 2_000;
  while (pids.some(isRunning)) {
    if (performance.now() > until) throw new Error('children outlived their parent by 2 s');
    await new Promise((r) => setImmediate(r));
    at = performance.now();
  }
  return at;
}
