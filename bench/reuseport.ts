/**
 * `npm run bench:reuseport`: cluster(2) with reusePort workers (CLUSTER_REUSEPORT=1,
 * specs/cluster-reuseport.md) beside classic cluster(2), single-process and bare Koa, on one Node
 * line, each pinned (service tree on CPU 0, wrk and the harness on CPU 1, as `npm run bench`) and
 * unpinned. Same measurements as bench/run.ts (bench/measure.ts): CPU of the whole tree per
 * `Connection: close` request, close and keep-alive req/s, tree RSS/PSS after boot.
 *   --node <major|x.y.z>  the Node line (default 24); the harness re-runs itself on that line's
 *                         binary (scripts/node-line.mjs), and the services run on a private copy of it
 *   --rounds N (3)  --seconds N (10, per load)  --pin both|pinned|unpinned (both)
 *   --write         the tables replace the block between the reuseport-bench markers in
 *                   bench/NOTES.md and BENCHMARKS.md (otherwise they are only printed)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pickLoadGenerator } from './loadgen.js';
import { loadInstance, type Settings } from './measure.js';
import { cell, fmt, summarize } from './stats.js';
import { REPO, VARIANTS, type Variant, type VariantId } from './variants.js';

const { values: flags } = parseArgs({
  options: {
    node: { type: 'string', default: '24' },
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '10' },
    pin: { type: 'string', default: 'both' },
    write: { type: 'boolean' },
  },
});

const onLine = flags.node!.includes('.') ? process.versions.node === flags.node : process.versions.node.split('.')[0] === flags.node;
if (!onLine) {
  const bin = execFileSync(process.execPath, [join(REPO, 'scripts/node-line.mjs'), flags.node!], { encoding: 'utf8' }).trim();
  const rerun = spawnSync(bin, [join(REPO, 'node_modules/tsx/dist/cli.mjs'), ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(rerun.status ?? 1);
}

/** The four variants side by side; the cluster ones say their transport explicitly, whatever the harness's environment. */
const byId = (id: VariantId) => VARIANTS.find((v) => v.id === id)!;
const SIDE_BY_SIDE: Array<Variant & { key: string }> = [
  { ...byId('bare'), key: 'bare' },
  { ...byId('single'), key: 'single' },
  { ...byId('ours2'), key: 'classic', label: 'ours, cluster(2), classic (the primary accepts)', env: { CLUSTER_REUSEPORT: '0' } },
  { ...byId('ours2'), key: 'reusePort', label: 'ours, cluster(2), reusePort workers', env: { CLUSTER_REUSEPORT: '1' } },
];

const rounds = Number(flags.rounds);
const pinModes = (flags.pin === 'both' ? ['pinned', 'unpinned'] : [flags.pin!]) as Array<'pinned' | 'unpinned'>;
if (cpus().length < 2 && pinModes.includes('pinned')) throw new Error('pinning needs 2 CPUs: pass --pin unpinned');

// A private copy of this Node for the services (see privateNode() in variants.ts).
const nodeDir = mkdtempSync(join(tmpdir(), 'bench-node-'));
const nodeCopy = join(nodeDir, 'node-svc');
copyFileSync(process.execPath, nodeCopy);
const loadgen = pickLoadGenerator();
const settingsFor = (pin: 'pinned' | 'unpinned'): Settings => ({
  node: nodeCopy,
  serviceCpus: pin === 'pinned' ? '0' : undefined,
  loadCpus: pin === 'pinned' ? '1' : undefined,
  loadgen,
  connections: 50,
  loadSeconds: Number(flags.seconds),
  warmupSeconds: 2,
  settleMs: 1000,
  slowMs: 1000,
});

type Sample = { cpuUs: number[]; closeRps: number[]; kaRps: number[]; rssBoot: number[]; pssBoot: number[] };
const samples = new Map<string, Sample>();
const sampleOf = (key: string) => samples.get(key) ?? samples.set(key, { cpuUs: [], closeRps: [], kaRps: [], rssBoot: [], pssBoot: [] }).get(key)!;
const startedAt = Date.now();
const loadAtStart = loadavg();
const log = (message: string) => process.stderr.write(`[bench:reuseport ${((Date.now() - startedAt) / 1000).toFixed(0)}s] ${message}\n`);
const failures: string[] = [];

try {
  for (const pin of pinModes) {
    // The harness sits with the load generator when pinned, anywhere otherwise.
    execFileSync('taskset', ['-cp', pin === 'pinned' ? '1' : `0-${cpus().length - 1}`, String(process.pid)], { stdio: 'ignore' });
    for (let round = 0; round < rounds; round++) {
      const order = SIDE_BY_SIDE.map((_, i) => SIDE_BY_SIDE[(i + round) % SIDE_BY_SIDE.length]!);
      for (const variant of order) {
        try {
          const r = await loadInstance(variant, settingsFor(pin));
          const s = sampleOf(`${variant.key} ${pin}`);
          s.cpuUs.push(r.cpuUsPerRequest);
          s.closeRps.push(r.close.rps);
          s.kaRps.push(r.keepAlive.rps);
          s.rssBoot.push(r.afterBoot.rssMiB);
          s.pssBoot.push(r.afterBoot.pssMiB);
          if (r.keepAlive.errors || r.close.errors) failures.push(`${variant.key} ${pin}: load errors keep-alive ${r.keepAlive.errors}, close ${r.close.errors}`);
          log(`${pin} round ${round + 1}/${rounds} ${variant.key}: ${r.cpuUsPerRequest.toFixed(0)} µs/close req, close ${r.close.rps.toFixed(0)}/s, KA ${r.keepAlive.rps.toFixed(0)}/s, RSS ${r.afterBoot.rssMiB.toFixed(1)} MiB`);
        } catch (err) {
          failures.push(`${pin} round ${round + 1}, ${variant.key}: ${(err as Error).message.split('\n')[0]}`);
          log(`FAILED ${variant.key} ${pin}: ${(err as Error).message}`);
        }
      }
    }
  }
} finally {
  rmSync(nodeDir, { recursive: true, force: true });
}

const median = (key: string, metric: keyof Sample) => summarize(samples.get(key)?.[metric] ?? [])?.median;
const both = (key: string, metric: keyof Sample, digits: number) => pinModes.map((pin) => cell(summarize(samples.get(`${key} ${pin}`)?.[metric] ?? []), digits));
const ratio = (of: string, over: string, pin: string) => {
  const a = median(`${of} ${pin}`, 'cpuUs');
  const b = median(`${over} ${pin}`, 'cpuUs');
  return a && b ? fmt(a / b, 2) : '–';
};
const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO, encoding: 'utf8' }).trim();
const pinLabel = (pin: string) => (pin === 'pinned' ? 'pinned (tree on CPU 0)' : 'unpinned');

const lines = [
  `- ${new Date().toISOString()}, commit ${git('rev-parse', '--short', 'HEAD')}; \`npm run bench:reuseport${flags.node === '24' ? '' : ` -- --node ${flags.node}`}\`, ${rounds} round(s) per pinning, ${flags.seconds} s per load, ${((Date.now() - startedAt) / 60_000).toFixed(1)} min`,
  `- Node ${process.version} (services on a private copy); ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Linux ${release()}; load generator ${loadgen.name}, 50 connections`,
  `- Machine load average (1/5/15 min) at the start ${loadAtStart.map((l) => l.toFixed(1)).join(' / ')}, at the end ${loadavg().map((l) => l.toFixed(1)).join(' / ')}: other work shared the 2 CPUs, so read the ratios within this run`,
  `- Cells: min / **median** / max over the rounds; pinned = service tree on CPU 0, wrk and the harness on CPU 1; unpinned = no affinity`,
  '',
  `| variant | ${pinModes.map((p) => `CPU µs per close request, ${pinLabel(p)}`).join(' | ')} | ${pinModes.map((p) => `close req/s, ${p}`).join(' | ')} | ${pinModes.map((p) => `keep-alive req/s, ${p}`).join(' | ')} | tree RSS after boot MiB | tree PSS after boot MiB |`,
  `| --- | ${pinModes.map(() => '---').join(' | ')} | ${pinModes.map(() => '---').join(' | ')} | ${pinModes.map(() => '---').join(' | ')} | --- | --- |`,
  ...SIDE_BY_SIDE.map((v) => {
    const rss = summarize(pinModes.flatMap((p) => samples.get(`${v.key} ${p}`)?.rssBoot ?? []));
    const pss = summarize(pinModes.flatMap((p) => samples.get(`${v.key} ${p}`)?.pssBoot ?? []));
    return `| ${v.label} | ${both(v.key, 'cpuUs', 0).join(' | ')} | ${both(v.key, 'closeRps', 0).join(' | ')} | ${both(v.key, 'kaRps', 0).join(' | ')} | ${cell(rss, 1)} | ${cell(pss, 1)} |`;
  }),
  '',
  '| CPU per new connection, ratio of medians | ' + pinModes.join(' | ') + ' | target |',
  '| --- | ' + pinModes.map(() => '---').join(' | ') + ' | --- |',
  `| reusePort cluster(2) / single-process | ${pinModes.map((p) => ratio('reusePort', 'single', p)).join(' | ')} | ≤ 1.15 |`,
  `| classic cluster(2) / single-process | ${pinModes.map((p) => ratio('classic', 'single', p)).join(' | ')} | (≈ 2.6 in BENCHMARKS.md's run) |`,
  `| reusePort cluster(2) / classic cluster(2) | ${pinModes.map((p) => ratio('reusePort', 'classic', p)).join(' | ')} | |`,
  `| single-process / bare | ${pinModes.map((p) => ratio('single', 'bare', p)).join(' | ')} | |`,
  ...(failures.length ? ['', 'Failures in this run:', ...failures.map((f) => `- ${f}`)] : []),
];
const block = lines.join('\n');
process.stdout.write(`${block}\n`);

if (flags.write) {
  const START = '<!-- reuseport-bench:start -->';
  const END = '<!-- reuseport-bench:end -->';
  for (const file of ['bench/NOTES.md', 'BENCHMARKS.md']) {
    const path = join(REPO, file);
    const text = readFileSync(path, 'utf8');
    const start = text.indexOf(START);
    const end = text.indexOf(END, start);
    if (start < 0 || end < 0) throw new Error(`${file} has no ${START} … ${END} block`);
    writeFileSync(path, `${text.slice(0, start)}${START}\n${block}\n${text.slice(end)}`);
    log(`wrote ${file}`);
  }
}
