/**
 * The lifecycle's own timings, for our variants only: how soon readiness answers 503 after SIGTERM,
 * and how soon a SIGKILLed cluster worker is replaced. The tests check the order of these events
 * (no 200 after the flip, a replacement comes); how soon is a figure here, where the service tree
 * has its own CPU and the harness another, instead of a bound a busy test machine decides.
 * (Exit after the last response is the drain table's "in flight: its response → exit".)
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { treePids } from '../support/proc.js';
import { boot, DRAIN_TIMEOUT_MS, guarded, settled, type Settings } from './measure.js';
import { KeepAliveSocket } from './probe.js';
import { treeExited, type Variant, type VariantId } from './variants.js';

/** The targets for these figures (ms). */
export const READINESS_FLIP_TARGET_MS = 10;
export const FIRST_RESPAWN_TARGET_MS = 1_000;

/** Variants that run our lifecycle, and which of them have workers to kill. */
export const OURS: ReadonlySet<VariantId> = new Set(['single', 'ours2']);
export const OURS_CLUSTER: ReadonlySet<VariantId> = new Set(['ours2']);

/** Signals per variant per round for the readiness flip (each on a fresh boot). */
export const FLIP_TRIALS_PER_ROUND = 3;

/** Keeps the listener open after the signal while the probes run (the flip comes first either way). */
const FLIP_SHUTDOWN_DELAY_MS = 300;
/**
 * Signal at a quiet moment: every probe answered within this, waiting at most QUIET_WAIT_MS. A burst
 * of other work on the machine delays any process by tens of ms, which measures the machine.
 */
const QUIET_RTT_MS = 2;
const QUIET_WAIT_MS = 10_000;

/** One keep-alive socket per serving process (a cluster spreads new connections over the workers). */
async function probePerProcess(port: number, processes: number): Promise<KeepAliveSocket[]> {
  const probes: KeepAliveSocket[] = [];
  const pids = new Set<number>();
  for (let i = 0; i < 10 * processes && pids.size < processes; i++) {
    const socket = new KeepAliveSocket(port);
    await socket.connected;
    // Our built-in /_status answers the serving process's pid.
    const pid = (JSON.parse((await socket.request('/_status', 5_000)).body) as { pid: number }).pid;
    if (pids.has(pid)) socket.destroy();
    else (pids.add(pid), probes.push(socket));
  }
  if (probes.length < processes) throw new Error(`reached ${probes.length} of ${processes} serving processes`);
  return probes;
}

/**
 * SIGTERM → readiness 503, ms: the send time of the first /healthcheck answered 503, probed back to
 * back on a keep-alive socket to each serving process (the last process to flip counts: a load
 * balancer's probe can land on any). The process flipped between answering the previous probe and
 * this one, and this one was sent right as the previous answer arrived, so its send time is the flip
 * to within one round trip.
 */
export async function readinessFlipInstance(variant: Variant, s: Settings): Promise<{ bootMs: number; bootCpuMs: number; flipMs: number }> {
  const { service, bootMs, bootCpuMs } = await boot(variant, s, { env: { SHUTDOWN_DELAY_MS: String(FLIP_SHUTDOWN_DELAY_MS) } });
  return guarded(service, async () => {
    await settled(service, variant, s);
    const probes = await probePerProcess(service.port, variant.processes === 1 ? 1 : variant.processes - 1);
    try {
      for (let until = performance.now() + QUIET_WAIT_MS; performance.now() < until; ) {
        const sent = performance.now();
        await Promise.all(probes.map((p) => p.request('/healthcheck', 5_000)));
        if (performance.now() - sent < QUIET_RTT_MS) break;
        await sleep(20);
      }
      const pids = treePids(service.pid);
      const signalledAt = performance.now();
      process.kill(service.pid, 'SIGTERM');
      const firstFlip = async (probe: KeepAliveSocket) => {
        for (let i = 0; i < 5_000; i++) {
          const sent = performance.now();
          if ((await probe.request('/healthcheck', 5_000)).status === 503) return sent - signalledAt;
        }
        throw new Error('/healthcheck never answered 503');
      };
      const flipMs = Math.max(...(await Promise.all(probes.map(firstFlip))));
      await treeExited(service, pids, DRAIN_TIMEOUT_MS);
      return { bootMs, bootCpuMs, flipMs };
    } finally {
      for (const probe of probes) probe.destroy();
    }
  });
}

/**
 * SIGKILL one worker → its replacement listens, ms: from the kill to the `t` of the primary's
 * `worker-online` line for the new worker (same clock), on a cluster booted and settled as for the
 * load run. Also the replacement's own fork → listening (`bootMs` of that line).
 */
export async function respawnInstance(variant: Variant, s: Settings): Promise<{ bootMs: number; bootCpuMs: number; respawnMs: number; workerBootMs: number }> {
  const { service, bootMs, bootCpuMs } = await boot(variant, s, { stdout: 'pipe' });
  const online: Array<{ workerPid: number; t: number; bootMs: number }> = [];
  let buffered = '';
  service.child.stdout!.on('data', (chunk: Buffer) => {
    const parts = (buffered + chunk.toString()).split('\n');
    buffered = parts.pop()!;
    for (const part of parts) {
      if (!part.includes('"worker-online"')) continue;
      const line = JSON.parse(part) as { workerPid: number; t: number; bootMs: number };
      online.push(line);
    }
  });
  return guarded(service, async () => {
    await settled(service, variant, s);
    const workers = variant.processes - 1;
    for (let i = 0; i < 500 && online.length < workers; i++) await sleep(10);
    if (online.length < workers) throw new Error(`${online.length} of ${workers} workers online`);
    const [victim] = online.map((l) => l.workerPid);
    const killedAt = Date.now();
    process.kill(victim!, 'SIGKILL');
    let replacement: (typeof online)[number] | undefined;
    for (let i = 0; i < 1_000 && !replacement; i++) {
      replacement = online.slice(workers).find((l) => l.workerPid !== victim);
      if (!replacement) await sleep(10);
    }
    if (!replacement) throw new Error('no replacement worker within 10 s');
    const pids = treePids(service.pid);
    process.kill(service.pid, 'SIGTERM');
    await treeExited(service, pids, DRAIN_TIMEOUT_MS);
    return { bootMs, bootCpuMs, respawnMs: replacement.t - killedAt, workerBootMs: replacement.bootMs };
  });
}
