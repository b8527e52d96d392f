/**
 * `npm run bench` / `npm run bench:quick`: every variant, interleaved with the order rotated each
 * round, on 127.0.0.1 only. The full run writes its Node line's section of BENCHMARKS.md (the other
 * lines' sections stay); the quick run only prints.
 *   --node 24|24.22.3|/path/to/node  the services' Node (default: the one running this)
 *   --quick  one round, short loads      --rounds N   --seconds N (load duration)
 *   --loadgen wrk|autocannon             --no-pin     --out FILE   --only id,id
 * Every line in one go: `npm run bench:lines` (bench/lines.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeLineSection } from './benchmarks-file.js';
import { FLIP_TRIALS_PER_ROUND, OURS, OURS_CLUSTER, readinessFlipInstance, respawnInstance } from './lifecycle.js';
import { pickLoadGenerator } from './loadgen.js';
import { startUpReceiver } from './up-receiver.js';
import { resolveNodeBinary } from './node-line.js';
import { idleKeepAliveInstance, inFlightInstance, loadInstance, type Settings } from './measure.js';
import { emptySamples, tables, type Samples } from './report.js';
import { prepareStages, privateNode, REPO, VARIANTS, type Variant } from './variants.js';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    loadgen: { type: 'string' },
    'no-pin': { type: 'boolean' },
    out: { type: 'string' },
    only: { type: 'string' },
    node: { type: 'string' },
  },
});

const quick = flags.quick ?? false;
const rounds = Number(flags.rounds ?? (quick ? 1 : 5));
const loadSeconds = Number(flags.seconds ?? (quick ? 2 : 10));
const out = flags.out ?? (quick ? undefined : join(REPO, 'BENCHMARKS.md'));
const variants = flags.only ? VARIANTS.filter((v) => flags.only!.split(',').includes(v.id)) : VARIANTS;
const pin = !flags['no-pin'] && cpus().length >= 2;

if (!existsSync(join(REPO, 'dist/src/cli/main.js'))) {
  console.error('dist/src/cli/main.js is missing; run `npm run build` first');
  process.exit(1);
}
if (pin) execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' }); // the harness sits with the load generator

const nodeBinary = resolveNodeBinary(flags.node);
const loadAtStart = loadavg();
const node = privateNode(nodeBinary.path);
const loadgen = pickLoadGenerator(flags.loadgen);
const settings: Settings = {
  node: node.path,
  serviceCpus: pin ? '0' : undefined,
  loadCpus: pin ? '1' : undefined,
  loadgen,
  connections: 50,
  loadSeconds,
  warmupSeconds: quick ? 1 : 2,
  settleMs: quick ? 300 : 1000,
  slowMs: 1000,
};

const samples: Samples = emptySamples();
const failures: string[] = [];
const startedAt = Date.now();
const log = (message: string) => process.stderr.write(`[bench ${((Date.now() - startedAt) / 1000).toFixed(0)}s] ${message}\n`);

type Job = (variant: Variant) => Promise<void>;
/** Every instance a round boots is also a boot sample. */
const recordBoot = (v: Variant, r: { bootMs: number; bootCpuMs: number }) => {
  samples[v.id].boot.push(r.bootMs);
  samples[v.id].bootCpu.push(r.bootCpuMs);
  return samples[v.id];
};
const jobs: Array<[string, Job]> = [
  [
    'load',
    async (v) => {
      const r = await loadInstance(v, settings);
      const s = recordBoot(v, r);
      s.rssBoot.push(r.afterBoot.rssMiB);
      s.pssBoot.push(r.afterBoot.pssMiB);
      s.rssLoad.push(r.afterLoad.rssMiB);
      s.pssLoad.push(r.afterLoad.pssMiB);
      s.kaRps.push(r.keepAlive.rps);
      s.kaP50.push(r.keepAlive.p50Ms);
      s.kaP99.push(r.keepAlive.p99Ms);
      s.closeRps.push(r.close.rps);
      s.closeP50.push(r.close.p50Ms);
      s.closeP99.push(r.close.p99Ms);
      s.cpuUs.push(r.cpuUsPerRequest);
      if (r.drainNoConnectionsMs !== undefined) s.drainNone.push(r.drainNoConnectionsMs);
      if (r.keepAlive.errors || r.close.errors) failures.push(`${v.id}: load errors keep-alive ${r.keepAlive.errors}, close ${r.close.errors}`);
      log(`${v.id} load: boot ${r.bootMs.toFixed(0)} ms, RSS ${r.afterBoot.rssMiB.toFixed(1)} MiB, KA ${r.keepAlive.rps.toFixed(0)}/s, close ${r.close.rps.toFixed(0)}/s`);
    },
  ],
  [
    'idle keep-alive drain',
    async (v) => {
      if (!v.drains) return; // SIGTERM does not drain it: see Variant.drains
      const r = await idleKeepAliveInstance(v, settings);
      recordBoot(v, r).drainIdle.push(r.drainMs);
      log(`${v.id} idle keep-alive drain: ${r.drainMs.toFixed(1)} ms`);
    },
  ],
  [
    'in-flight drain',
    async (v) => {
      const r = await inFlightInstance(v, settings);
      const s = recordBoot(v, r);
      s.drainInflight.push(r.totalMs);
      if (r.afterResponseMs !== undefined) s.drainAfterResponse.push(r.afterResponseMs);
      s.inflightLost.push(r.lost);
      s.connection.push(r.connection);
      log(`${v.id} in-flight drain: ${r.totalMs.toFixed(0)} ms, ${r.afterResponseMs === undefined ? 'the request was lost' : `${r.afterResponseMs.toFixed(1)} ms after the response`}`);
    },
  ],
  [
    'readiness flip',
    async (v) => {
      if (!OURS.has(v.id)) return;
      for (let trial = 0; trial < FLIP_TRIALS_PER_ROUND; trial++) {
        const r = await readinessFlipInstance(v, settings);
        recordBoot(v, r).flip.push(r.flipMs);
        log(`${v.id} readiness flip: 503 to a probe sent ${r.flipMs.toFixed(1)} ms after SIGTERM`);
      }
    },
  ],
  [
    'respawn',
    async (v) => {
      if (!OURS_CLUSTER.has(v.id)) return;
      const r = await respawnInstance(v, settings);
      const s = recordBoot(v, r);
      s.respawn.push(r.respawnMs);
      s.workerBoot.push(r.workerBootMs);
      log(`${v.id} respawn: replacement listening ${r.respawnMs} ms after SIGKILL (its boot ${r.workerBootMs} ms)`);
    },
  ],
];

const removeStages = prepareStages(variants);
const receiver = variants.some((v) => v.stage) ? await startUpReceiver(log) : undefined;
try {
  for (let round = 0; round < rounds; round++) {
    const order = variants.map((_, i) => variants[(i + round) % variants.length]!);
    log(`round ${round + 1}/${rounds}: ${order.map((v) => v.id).join(' → ')}`);
    for (const [name, job] of jobs) {
      for (const variant of order) {
        try {
          await job(variant);
        } catch (err) {
          failures.push(`round ${round + 1}, ${variant.id}, ${name}: ${(err as Error).message.split('\n')[0]}`);
          log(`FAILED ${variant.id} ${name}: ${(err as Error).message}`);
        }
      }
    }
  }
} finally {
  node.remove();
  removeStages();
  await receiver?.close();
}

const git = (...args: string[]) => {
  try {
    return execFileSync('git', args, { cwd: REPO, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
};
const loadgenVersion =
  loadgen.name === 'wrk'
    ? (() => {
        try {
          return execFileSync('wrk', ['--version'], { encoding: 'utf8' }).split('\n')[0]!;
        } catch (err) {
          return String((err as { stdout?: string }).stdout ?? '').split('\n')[0] || 'wrk';
        }
      })()
    : `autocannon ${JSON.parse(readFileSync(join(REPO, 'node_modules/autocannon/package.json'), 'utf8')).version}`;
const minutes = ((Date.now() - startedAt) / 60_000).toFixed(1);
const header = [
  `- Date: ${new Date().toISOString()}; commit ${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--', 'src', 'machines') ? ' (src/ or machines/ modified)' : ''}`,
  `- Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Linux ${release()}`,
  `- Node ${nodeBinary.version} (the services; ${nodeBinary.path === process.execPath ? 'the harness runs on it too' : `the harness on ${process.version}`}), each run from a private copy of the binary; ours with Node's compile cache on (22+: warm after the run's first boot)`,
  `- Machine load (1/5/15-min load average): ${loadAtStart.map((l) => l.toFixed(2)).join(' / ')} at the start, ${loadavg().map((l) => l.toFixed(2)).join(' / ')} at the end`,
  `- Load generator: ${loadgenVersion.replace(/\s*Copyright.*$/, '').trim()} (${settings.connections} connections, ${loadSeconds} s after a ${settings.warmupSeconds} s warm-up${loadgen.name === 'wrk' ? ', `-t1 --latency`' : ''})`,
  `- Pinning: ${pin ? 'service tree on CPU 0 (`taskset -c 0`), load generator and harness on CPU 1 (a 1-CPU replica)' : 'none'}`,
  `- ${rounds} round(s), variants interleaved with the order rotated each round; every round boots each variant 3 times (load run, idle drain, in-flight drain; the SDK's \`startApp\` twice: its SIGTERM does not drain), ours ${FLIP_TRIALS_PER_ROUND} more for the readiness flip and ours cluster(2) once more for a respawn; ${minutes} min in all`,
  `- Cells: min / **median** / max (one value when there is one sample)`,
].join('\n');
const failureText = failures.length ? `\n\n### Failures in this run\n\n${failures.map((f) => `- ${f}`).join('\n')}` : '';
const body = `${header}\n\n${tables(samples, variants)}${failureText}\n`;

console.log(body);
mkdirSync(join(REPO, 'bench/.results'), { recursive: true });
writeFileSync(join(REPO, 'bench/.results', `${quick ? 'quick' : 'full'}-node${nodeBinary.major}-${startedAt}.json`), JSON.stringify({ settings: { ...settings, loadgen: loadgen.name }, samples, failures }, null, 2));
if (out) {
  writeLineSection(out, { node: nodeBinary, body, samples });
  log(`wrote the Node ${nodeBinary.major} section of ${out}`);
}
