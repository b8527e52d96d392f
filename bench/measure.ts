/** One booted instance per job: boot + memory + load + idle drain, an idle keep-alive drain, an in-flight drain. */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LoadGenerator, LoadResult } from './loadgen.js';
import { treeCpuSeconds, treeMemory, treePids, type TreeMemory } from '../support/proc.js';
import { freePort, portIsFree } from '../support/ports.js';
import { HOST, KeepAliveSocket, waitFor200 } from './probe.js';
import { startVariant, treeExited, type RunningVariant, type Variant } from './variants.js';

export interface Settings {
  node: string;
  serviceCpus?: string;
  loadCpus?: string;
  loadgen: LoadGenerator;
  connections: number;
  loadSeconds: number;
  warmupSeconds: number;
  settleMs: number;
  /** How long the in-flight request takes. */
  slowMs: number;
}

const BOOT_TIMEOUT_MS = 15_000;
/** Everything here drains in well under this; the services' own deadline is 30 s. */
export const DRAIN_TIMEOUT_MS = 15_000;
/** A variant that does not drain (the SDK's startApp) exits at its force timer, max(30, timeout) s after SIGTERM. */
const NO_DRAIN_TIMEOUT_MS = 45_000;
/**
 * How long the keep-alive socket sits idle before SIGTERM. Ours gives a socket that answered less
 * than IDLE_GRACE_MS (src/serving/drain.ts) ago time for a next request already on the wire.
 */
const IDLE_BEFORE_SIGTERM_MS = 500;

export async function boot(
  variant: Variant,
  s: Settings,
  extra: { env?: Record<string, string>; stdout?: 'pipe' } = {},
): Promise<{ service: RunningVariant; bootMs: number; bootCpuMs: number }> {
  if (variant.fixedPort !== undefined && !(await portIsFree(variant.fixedPort))) {
    throw new Error(`${variant.id}: port ${variant.fixedPort}, which it always listens on, is taken by another process`);
  }
  const service = startVariant(variant, { node: s.node, port: variant.fixedPort ?? (await freePort()), cpus: s.serviceCpus, ...extra });
  try {
    const at = await waitFor200(service.port, variant.paths.probe, BOOT_TIMEOUT_MS, service.isDead);
    // CPU time is what a busy neighbour cannot inflate much; wall time is what the orchestrator sees.
    return { service, bootMs: at - service.spawnedAt, bootCpuMs: treeCpuSeconds(treePids(service.pid)) * 1000 };
  } catch (err) {
    service.killTree();
    throw new Error(`${variant.id}: ${(err as Error).message}\n${service.stderr()}`);
  }
}

/** Waits until every process of the variant exists, then lets it settle. */
export async function settled(service: RunningVariant, variant: Variant, s: Settings) {
  const until = performance.now() + BOOT_TIMEOUT_MS;
  while (treePids(service.pid).length < variant.processes && performance.now() < until) await sleep(20);
  await sleep(s.settleMs);
}

async function sigtermToExit(service: RunningVariant): Promise<{ sentAt: number; exitAt: number }> {
  const pids = treePids(service.pid);
  const sentAt = performance.now();
  process.kill(service.pid, 'SIGTERM');
  return { sentAt, exitAt: await treeExited(service, pids, DRAIN_TIMEOUT_MS) };
}

export async function guarded<T>(service: RunningVariant, job: () => Promise<T>): Promise<T> {
  try {
    return await job();
  } catch (err) {
    service.killTree();
    throw new Error(`${(err as Error).message}\n${service.stderr()}`);
  }
}

export interface LoadInstance {
  bootMs: number;
  bootCpuMs: number;
  afterBoot: TreeMemory;
  keepAlive: LoadResult;
  close: LoadResult;
  cpuUsPerRequest: number;
  afterLoad: TreeMemory;
  /** Undefined for a variant that does not drain: it was SIGKILLed instead. */
  drainNoConnectionsMs?: number;
}

/** The end of a job for a variant that does not drain: SIGKILL to the tree, nothing measured. */
async function killed(service: RunningVariant) {
  const pids = treePids(service.pid);
  service.killTree();
  await treeExited(service, pids, DRAIN_TIMEOUT_MS);
}

export async function loadInstance(variant: Variant, s: Settings): Promise<LoadInstance> {
  const { service, bootMs, bootCpuMs } = await boot(variant, s);
  return guarded(service, async () => {
    await settled(service, variant, s);
    const afterBoot = treeMemory(service.pid);
    const url = `http://${HOST}:${service.port}${variant.paths.probe}`;
    const load = (seconds: number, close: boolean) =>
      s.loadgen.run({ url, connections: s.connections, seconds, close, cpus: s.loadCpus });
    await load(s.warmupSeconds, false);
    const keepAlive = await load(s.loadSeconds, false);
    await load(s.warmupSeconds, true);
    const pids = treePids(service.pid);
    const cpuBefore = treeCpuSeconds(pids);
    const close = await load(s.loadSeconds, true);
    const cpuUsPerRequest = ((treeCpuSeconds(pids) - cpuBefore) / close.requests) * 1e6;
    await sleep(s.settleMs);
    const afterLoad = treeMemory(service.pid);
    if (!variant.drains) {
      await killed(service);
      return { bootMs, bootCpuMs, afterBoot, keepAlive, close, cpuUsPerRequest, afterLoad };
    }
    const { sentAt, exitAt } = await sigtermToExit(service);
    return { bootMs, bootCpuMs, afterBoot, keepAlive, close, cpuUsPerRequest, afterLoad, drainNoConnectionsMs: exitAt - sentAt };
  });
}

export async function idleKeepAliveInstance(variant: Variant, s: Settings): Promise<{ bootMs: number; bootCpuMs: number; drainMs: number }> {
  const { service, bootMs, bootCpuMs } = await boot(variant, s);
  return guarded(service, async () => {
    const socket = new KeepAliveSocket(service.port);
    try {
      await socket.connected;
      const res = await socket.request(variant.paths.probe, 5_000, variant.paths.headers);
      if (res.status !== 200) throw new Error(`${variant.paths.probe} answered ${res.status}`);
      await sleep(IDLE_BEFORE_SIGTERM_MS);
      const { sentAt, exitAt } = await sigtermToExit(service);
      return { bootMs, bootCpuMs, drainMs: exitAt - sentAt };
    } finally {
      socket.destroy();
    }
  });
}

export interface InFlightDrain {
  bootMs: number;
  bootCpuMs: number;
  /** SIGTERM → whole tree exited. */
  totalMs: number;
  /** The in-flight response arrived → whole tree exited; undefined when it was lost. */
  afterResponseMs?: number;
  /** The Connection header the in-flight response went out with, or `lost`. */
  connection: string;
  /** 1 when the socket closed without the response (the request was lost), else 0. */
  lost: number;
}

export async function inFlightInstance(variant: Variant, s: Settings): Promise<InFlightDrain> {
  const { service, bootMs, bootCpuMs } = await boot(variant, s);
  return guarded(service, async () => {
    const socket = new KeepAliveSocket(service.port);
    try {
      await socket.connected;
      const timeoutMs = variant.drains ? DRAIN_TIMEOUT_MS : NO_DRAIN_TIMEOUT_MS;
      const response = socket.request(variant.paths.slow(s.slowMs), s.slowMs + timeoutMs, variant.paths.headers);
      response.catch(() => undefined); // awaited below; a rejection before then is not unhandled
      await sleep(Math.min(200, s.slowMs / 4)); // the request is inside the handler now
      const pids = treePids(service.pid);
      const sentAt = performance.now();
      process.kill(service.pid, 'SIGTERM');
      const res = await response.catch((err: Error) => {
        // Only a variant that does not drain may lose it; for the others a lost request is a failure.
        if (variant.drains || socket.closedAt === undefined) throw err;
        return undefined;
      });
      if (res && res.status !== 200) throw new Error(`the slow request answered ${res.status} during the drain`);
      const exitAt = await treeExited(service, pids, timeoutMs);
      if (!res) return { bootMs, bootCpuMs, totalMs: exitAt - sentAt, connection: 'lost', lost: 1 };
      return { bootMs, bootCpuMs, totalMs: exitAt - sentAt, afterResponseMs: exitAt - res.at, connection: res.connection ?? '(none)', lost: 0 };
    } finally {
      socket.destroy();
    }
  });
}
