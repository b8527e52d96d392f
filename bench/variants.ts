/**
 * The variants and how to start one of them. Group `koa`: all serve bench/services/handlers.mjs.
 * Group `vtex`: a platform app (examples/vtex-service-example compiled to JavaScript, in the SDK's
 * layout) booted by the SDK's own `startApp` or by ours.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { sdkStage, VTEX_ENV, type StageMain } from '../test/helpers/vtex-app.js';
import { isRunning, treePids } from '../support/proc.js';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SERVICES = join(REPO, 'bench/services');
const CLI = join(REPO, 'dist/src/cli/main.js');

export type VariantId = 'bare' | 'cluster1' | 'single' | 'ours2' | 'cluster2' | 'sdk1' | 'vtex1' | 'sdk2' | 'vtex2';

/** What a variant is asked: where its first 200 and its load come from, and the slow request of the in-flight drain. */
interface Paths {
  probe: string;
  slow(ms: number): string;
  headers: Record<string, string>;
}

export interface Variant {
  id: VariantId;
  group: 'koa' | 'vtex';
  label: string;
  /** Processes in the tree once booted. */
  processes: number;
  /** What node runs (koa), or the SDK-layout stage and its boot script (vtex; run from the stage folder). */
  args?: string[];
  stage?: { workers: number; main: StageMain };
  paths: Paths;
  /**
   * false: SIGTERM does not drain (the SDK's startApp: its worker exits at once, its primary re-forks it
   * and exits at the force timer, `max(30, timeout)` s). Only the in-flight job signals it, to count
   * what it loses; the other jobs end it with SIGKILL and the idle drain is not measured.
   */
  drains: boolean;
  /** A port the variant always listens on, whatever PORT says (the SDK's startApp: HTTP_SERVER_PORT). */
  fixedPort?: number;
  /** Added to the service's environment (e.g. CLUSTER_REUSEPORT for bench/reuseport.ts). */
  env?: Record<string, string>;
}

const KOA: Paths = { probe: '/hello', slow: (ms) => `/slow?ms=${ms}`, headers: {} };
/** The SDK's own /healthcheck (no per-request log lines), and a private route of the app. */
const VTEX: Paths = { probe: '/healthcheck', slow: (ms) => `/acme/dev/_v/private/slow/${ms}`, headers: { 'x-vtex-account': 'acme', 'x-vtex-workspace': 'dev' } };
const koa = (v: Pick<Variant, 'id' | 'label' | 'processes' | 'args'>): Variant => ({ ...v, group: 'koa', paths: KOA, drains: true });
/** The SDK's startApp listens on its constant HTTP_SERVER_PORT, 5050, and ignores PORT. */
const SDK_PORT = 5050;
const vtex = (v: Pick<Variant, 'id' | 'label' | 'processes' | 'stage'>): Variant => {
  const sdk = v.stage!.main === 'sdk';
  return { ...v, group: 'vtex', paths: VTEX, drains: !sdk, fixedPort: sdk ? SDK_PORT : undefined };
};

export const VARIANTS: Variant[] = [
  koa({ id: 'bare', label: 'bare Koa `.listen()`', processes: 1, args: [join(SERVICES, 'bare.mjs')] }),
  koa({ id: 'cluster1', label: 'raw node:cluster(1) (status quo)', processes: 2, args: [join(SERVICES, 'raw-cluster.mjs'), '1'] }),
  koa({ id: 'single', label: 'ours, single-process', processes: 1, args: [CLI, 'start', join(SERVICES, 'ours-single'), '--quiet'] }),
  koa({ id: 'ours2', label: 'ours, cluster(2)', processes: 3, args: [CLI, 'start', join(SERVICES, 'ours-cluster'), '--quiet'] }),
  koa({ id: 'cluster2', label: 'raw node:cluster(2)', processes: 3, args: [join(SERVICES, 'raw-cluster.mjs'), '2'] }),
  vtex({ id: 'sdk1', label: "SDK's `startApp`, workers 1 (status quo)", processes: 2, stage: { workers: 1, main: 'sdk' } }),
  vtex({ id: 'vtex1', label: 'our `startApp`, single-process', processes: 1, stage: { workers: 1, main: 'ours' } }),
  vtex({ id: 'sdk2', label: "SDK's `startApp`, workers 2", processes: 3, stage: { workers: 2, main: 'sdk' } }),
  vtex({ id: 'vtex2', label: 'our `startApp`, cluster(2)', processes: 3, stage: { workers: 2, main: 'ours' } }),
];

/** The SDK-layout stages the selected vtex variants run from, built once per run (tsc) and removed at the end. */
const stages = new Map<number, string>();
export function prepareStages(variants: Variant[]): () => void {
  for (const v of variants) if (v.stage && !stages.has(v.stage.workers)) stages.set(v.stage.workers, sdkStage({ workers: v.stage.workers }));
  return () => {
    for (const dir of stages.values()) rmSync(dir, { recursive: true, force: true });
    stages.clear();
  };
}

function command(variant: Variant): { args: string[]; cwd: string; env: Record<string, string> } {
  if (!variant.stage) return { args: variant.args!, cwd: REPO, env: variant.env ?? {} };
  const dir = stages.get(variant.stage.workers);
  if (!dir) throw new Error(`${variant.id}: no stage; call prepareStages first`);
  // Ours as quiet as the CLI variants; LIFECYCLE_UP_URL unset: both POST to the SDK's localhost:5000/_up.
  return { args: [join(dir, `${variant.stage.main}.cjs`)], cwd: dir, env: { ...VTEX_ENV, LIFECYCLE_QUIET: '1', LIFECYCLE_UP_URL: '' } };
}

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
  const run = command(variant);
  const [file, args] = opts.cpus === undefined ? [opts.node, run.args] : ['taskset', ['-c', opts.cpus, opts.node, ...run.args]];
  const spawnedAt = performance.now();
  const child = spawn(file, args, {
    cwd: run.cwd,
    env: { ...process.env, PORT: String(opts.port), NODE_OPTIONS: '', ...run.env, ...opts.env },
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
