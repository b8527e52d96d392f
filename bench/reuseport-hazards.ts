/**
 * `npm run bench:reuseport-hazards`: the hazards of reusePort cluster mode (specs/cluster-reuseport.md),
 * measured on 127.0.0.1 against real processes, classic cluster(2) beside reusePort cluster(2):
 *   sigterm   SIGTERM under load (50 keep-alive + 50 new-connection clients on /work, 0-50 ms): the
 *             connections reset before any process accepted them; also a naive reusePort cluster
 *             that closes its listeners at once (bench/services/naive-reuseport.mjs)
 *   kill      one worker SIGKILLed under the same load: the requests that failed
 *   stuck     one worker's event loop blocked 1.5 s while 100 new connections arrive: who answers
 *             them and how late (the kernel's hash is not load-aware)
 *   stuckkill the same, and the blocked worker is SIGKILLed 300 ms later: its accept queue
 *   split     4 connections opened at once, 200 times: how often the two workers get 2/2, 3/1, 4/0
 *             (a balancer's few keep-alive connections stay wherever they first landed)
 * Flags: --node <major> (default 24; the script re-runs itself on that line's binary, from
 * scripts/node-line.mjs), --trials N (default 20 for sigterm and kill, 5 for stuck), --only a,b,
 * --migrate-netns (root: run everything inside a new network namespace with net.ipv4.tcp_migrate_req=1,
 * the operator's mitigation; Linux 5.14+).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sleep } from '../test/helpers/http.js';
import { fixtureRoot } from '../test/helpers/fixture.js';
import { settled, startService, workersOnline, type RunningService } from '../test/helpers/service.js';
import { emptyFigures, failed, lostAccepted, probe, startLoad, type LoadFigures } from '../test/reliability/load-client.js';
import { freePort } from '../support/ports.js';
import { REPO } from './variants.js';

const { values: flags } = parseArgs({
  options: {
    node: { type: 'string', default: '24' },
    trials: { type: 'string' },
    only: { type: 'string' },
    'migrate-netns': { type: 'boolean' },
  },
});

// 1. On the Node line asked for (the services run on the harness's own binary).
const onLine = flags.node!.includes('.') ? process.versions.node === flags.node : process.versions.node.split('.')[0] === flags.node;
if (!onLine) {
  const bin = execFileSync(process.execPath, [join(REPO, 'scripts/node-line.mjs'), flags.node!], { encoding: 'utf8' }).trim();
  const rerun = spawnSync(bin, [join(REPO, 'node_modules/tsx/dist/cli.mjs'), ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(rerun.status ?? 1);
}
// 2. Inside a network namespace of our own with tcp_migrate_req=1, if asked.
if (flags['migrate-netns'] && !process.env.REUSEPORT_HAZARDS_NETNS) {
  const ns = `reuseport-hazards-${process.pid}`;
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'inherit' });
  ip('netns', 'add', ns);
  try {
    ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
    ip('netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv4.tcp_migrate_req=1');
    const rerun = spawnSync('ip', ['netns', 'exec', ns, process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, REUSEPORT_HAZARDS_NETNS: ns },
    });
    process.exitCode = rerun.status ?? 1;
  } finally {
    ip('netns', 'delete', ns);
  }
  process.exit();
}

const only = flags.only?.split(',');
const wanted = (name: string) => !only || only.includes(name);
const trials = (fallback: number) => Number(flags.trials ?? fallback);
const migrateReq = readFileSync('/proc/sys/net/ipv4/tcp_migrate_req', 'utf8').trim();
const say = (text: string) => process.stdout.write(`${text}\n`);

type Transport = 'classic' | 'reusePort' | 'naive reusePort';
const LOAD = { keepAliveClients: 50, newConnectionClients: 50, path: '/work', maxRequests: 400, maxMs: 5_000 };

/** Our CLI on the fixture service (classic or reusePort cluster(2)), or the naive reusePort cluster. */
async function start(transport: Transport): Promise<{ svc: RunningService; port: number; workers: number[] }> {
  if (transport === 'naive reusePort') {
    const port = await freePort();
    const svc = startService('', { command: [process.execPath, join(REPO, 'bench/services/naive-reuseport.mjs'), '2'], env: { PORT: String(port) } });
    await svc.up();
    return { svc, port, workers: [] };
  }
  const env = { CLUSTER_REUSEPORT: transport === 'reusePort' ? '1' : '0', LIFECYCLE_QUIET: '1' };
  const svc = startService(fixtureRoot(2), { env });
  const { port } = await svc.up();
  const workers = (await workersOnline(svc, 2)).map((l) => l.workerPid as number);
  return { svc, port, workers };
}

const drainedAccepted = (svc: RunningService) => svc.lines.filter((l) => l.type === 'drained').reduce((sum, l) => sum + (l.connectionsAccepted as number), 0);

async function sigtermTrial(transport: Transport) {
  const { svc, port } = await start(transport);
  const load = startLoad(port, LOAD);
  await sleep(120);
  svc.kill('SIGTERM');
  const figures = await load.done;
  await settled(svc);
  const lost = lostAccepted(figures, drainedAccepted(svc));
  return { figures, lost, unaccepted: failed(figures) - lost };
}

async function killTrial(transport: Transport) {
  const { svc, port, workers } = await start(transport);
  const load = startLoad(port, { ...LOAD, maxMs: 1_500 });
  await sleep(300);
  process.kill(workers[0]!, 'SIGKILL');
  const figures = await load.done;
  svc.kill('SIGTERM');
  await settled(svc);
  return { figures };
}

/** Blocks one worker 1.5 s, then opens `connections` new connections to /hello at once; optionally SIGKILLs the blocked worker. */
async function stuckTrial(transport: Transport, kill: boolean, connections = 100) {
  const { svc, port, workers } = await start(transport);
  const stuck = probe(port, '/stuck?ms=1500', false, () => {}, () => ({ outcome: 'ok' }));
  const blocked = (await svc.waitForLine((l) => l.type === 'stuck-start', 5_000)).pid as number;
  const sentAt = performance.now();
  if (kill) setTimeout(() => process.kill(blocked, 'SIGKILL'), 300);
  const replies = await Promise.all(
    Array.from({ length: connections }, async () => {
      let pid: number | undefined;
      const r = await probe(port, '/hello', false, () => {}, (status, body) => {
        pid = JSON.parse(body).pid;
        return { outcome: status === 200 ? 'ok' : 'otherStatus' };
      });
      return { ...r, pid, ms: performance.now() - sentAt };
    }),
  );
  await stuck;
  svc.kill('SIGTERM');
  await settled(svc);
  return { replies, blocked, other: workers.find((w) => w !== blocked)! };
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN);

say(`# reusePort hazards: Node ${process.version}, net.ipv4.tcp_migrate_req=${migrateReq}${process.env.REUSEPORT_HAZARDS_NETNS ? ` (network namespace ${process.env.REUSEPORT_HAZARDS_NETNS})` : ''}`);
say(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

if (wanted('sigterm')) {
  say(`\n## SIGTERM under load, ${trials(20)} trials each (no shutdown delay)\n`);
  say('| cluster(2) | connections opened | accepted by a worker | reset before any worker accepted them | accepted, then lost | refused after the close | requests complete |');
  say('| --- | --- | --- | --- | --- | --- | --- |');
  for (const transport of ['classic', 'reusePort', 'naive reusePort'] as const) {
    const sum = { ...emptyFigures(), lost: 0, unaccepted: 0, accepted: 0 };
    for (let i = 0; i < trials(20); i++) {
      const { figures, lost, unaccepted } = await sigtermTrial(transport);
      for (const key of ['connected', 'resetHandshake', 'ok', 'refused'] as const) sum[key] += figures[key];
      sum.lost += lost;
      sum.unaccepted += unaccepted;
    }
    say(`| ${transport} | ${sum.connected + sum.resetHandshake} | ${sum.connected + sum.resetHandshake - sum.unaccepted} | **${sum.unaccepted}** | ${sum.lost} | ${sum.refused} | ${sum.ok} |`);
  }
}

if (wanted('kill')) {
  say(`\n## One worker SIGKILLed 300 ms into the load, ${trials(20)} trials each\n`);
  say('| cluster(2) | requests | complete | failed | of which: reset before a response on a new connection / on a reused one / truncated / timed out |');
  say('| --- | --- | --- | --- | --- |');
  for (const transport of ['classic', 'reusePort'] as const) {
    const sum: LoadFigures = emptyFigures();
    for (let i = 0; i < trials(20); i++) {
      const { figures } = await killTrial(transport);
      for (const key of Object.keys(sum) as Array<keyof LoadFigures>) if (key !== 'failures') sum[key] += figures[key];
    }
    say(`| ${transport} | ${sum.sent} | ${sum.ok} | **${failed(sum)}** | ${sum.resetFresh + sum.resetHandshake} / ${sum.resetReused} / ${sum.truncated} / ${sum.timeout} |`);
  }
}

for (const kill of [false, true]) {
  if (!wanted(kill ? 'stuckkill' : 'stuck')) continue;
  say(
    kill
      ? `\n## A blocked worker SIGKILLed with 100 new connections waiting, ${trials(5)} trials each\n`
      : `\n## One worker blocked 1.5 s while 100 new connections arrive, ${trials(5)} trials each\n`,
  );
  say('| cluster(2) | connections | answered by the other worker | answered by the blocked one (after it woke) | failed | latency p50 / p90 / max ms |');
  say('| --- | --- | --- | --- | --- | --- |');
  for (const transport of ['classic', 'reusePort'] as const) {
    let total = 0;
    let byOther = 0;
    let byBlocked = 0;
    let failures = 0;
    const ms: number[] = [];
    for (let i = 0; i < trials(5); i++) {
      const { replies, blocked, other } = await stuckTrial(transport, kill);
      total += replies.length;
      byOther += replies.filter((r) => r.pid === other).length;
      byBlocked += replies.filter((r) => r.pid === blocked).length;
      failures += replies.filter((r) => r.outcome !== 'ok').length;
      ms.push(...replies.filter((r) => r.outcome === 'ok').map((r) => r.ms));
    }
    ms.sort((a, b) => a - b);
    say(`| ${transport} | ${total} | ${byOther} | ${byBlocked} | **${failures}** | ${pct(ms, 50).toFixed(0)} / ${pct(ms, 90).toFixed(0)} / ${(ms.at(-1) ?? NaN).toFixed(0)} |`);
  }
}
if (wanted('split')) {
  say('\n## 4 connections opened at once, 200 times: how they split over the 2 workers\n');
  say('| cluster(2) | 2 / 2 | 3 / 1 | 4 / 0 |');
  say('| --- | --- | --- | --- |');
  for (const transport of ['classic', 'reusePort'] as const) {
    const { svc, port } = await start(transport);
    const splits = { '2 / 2': 0, '3 / 1': 0, '4 / 0': 0 };
    for (let i = 0; i < 200; i++) {
      const pids = await Promise.all(
        Array.from({ length: 4 }, async () => {
          let pid = 0;
          await probe(port, '/hello', false, () => {}, (_status, body) => ((pid = JSON.parse(body).pid), { outcome: 'ok' }));
          return pid;
        }),
      );
      const most = Math.max(...[...new Set(pids)].map((p) => pids.filter((q) => q === p).length));
      splits[most === 2 ? '2 / 2' : most === 3 ? '3 / 1' : '4 / 0']++;
    }
    svc.kill('SIGTERM');
    await settled(svc);
    say(`| ${transport} | ${splits['2 / 2']} | ${splits['3 / 1']} | ${splits['4 / 0']} |`);
  }
}
say(`\nload average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
