/**
 * `npm run bench` / `npm run bench:quick`: every variant, interleaved with the order rotated each
 * round, on 127.0.0.1 only. The full run writes BENCHMARKS.md; the quick run only prints.
 *   --quick  one round, short loads      --rounds N   --seconds N (load duration)
 *   --loadgen wrk|autocannon             --no-pin     --out FILE   --only id,id
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pickLoadGenerator } from './loadgen.js';
import { startUpReceiver } from './up-receiver.js';
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

const node = privateNode();
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
const loadAtStart = loadavg();
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
  `- Node ${process.version}; services run from a private copy of the node binary`,
  `- Load generator: ${loadgenVersion.replace(/\s*Copyright.*$/, '').trim()} (${settings.connections} connections, ${loadSeconds} s after a ${settings.warmupSeconds} s warm-up${loadgen.name === 'wrk' ? ', `-t1 --latency`' : ''})`,
  `- Pinning: ${pin ? 'service tree on CPU 0 (`taskset -c 0`), load generator and harness on CPU 1 (a 1-CPU replica)' : 'none'}`,
  `- ${rounds} round(s), variants interleaved with the order rotated each round; every round boots each variant 3 times (load run, idle drain, in-flight drain; the SDK's \`startApp\` twice: its SIGTERM does not drain); ${minutes} min in all`,
  `- Load average (1, 5, 15 min) at the start: ${loadAtStart.map((l) => l.toFixed(2)).join(', ')}; at the end: ${loadavg().map((l) => l.toFixed(2)).join(', ')}`,
  `- Cells: min / **median** / max (one value when there is one sample)`,
].join('\n');
const failureText = failures.length ? `\n\n### Failures in this run\n\n${failures.map((f) => `- ${f}`).join('\n')}` : '';
const body = `${header}\n\n${tables(samples, variants)}${failureText}\n`;

console.log(body);
mkdirSync(join(REPO, 'bench/.results'), { recursive: true });
writeFileSync(join(REPO, 'bench/.results', `${quick ? 'quick' : 'full'}-${startedAt}.json`), JSON.stringify({ settings: { ...settings, loadgen: loadgen.name }, samples, failures }, null, 2));
if (out) {
  const notes = readFileSync(join(REPO, 'bench/NOTES.md'), 'utf8');
  const intro = '# Benchmarks\n\nGenerated by `npm run bench` (bench/run.ts); do not edit by hand: the findings below come from bench/NOTES.md.\n\n';
  writeFileSync(out, `${intro}## Results\n\n${body}\n${notes}`);
  log(`wrote ${out}`);
}
