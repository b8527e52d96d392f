/**
 * What each dependency costs at boot: a fresh process (private node copy, pinned to CPU 0) imports
 * one set of modules and reports the import time, RSS, PSS and live heap; deltas are against a
 * process that imports nothing. `tsx bench/deps.ts [--rounds N]`; the findings go to bench/NOTES.md.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { cell, fmt, summarize } from './stats.js';
import { privateNode, REPO } from './variants.js';

const { values } = parseArgs({ options: { rounds: { type: 'string' } } });
const rounds = Number(values.rounds ?? 15);
const dist = (path: string) => pathToFileURL(join(REPO, 'dist', path)).href;

const BARE = ['node:http', 'koa'];
// What a single-process boot imports (service-json and single are lazy imports of actors.ts).
const OURS = [dist('src/core/run.js'), dist('src/config/service-json.js'), dist('src/serving/single.js'), dist('src/serving/up.js')];
/** Each dependency alone, then on top of what the bare variant already loads. */
const SETS: Array<[string, string[]]> = [
  ['node alone', []],
  ['xstate alone', ['xstate']],
  ['@koa/router alone', ['@koa/router']],
  ['koa alone', ['koa']],
  ['bare: node:http + koa', BARE],
  ['bare + @koa/router', [...BARE, '@koa/router']],
  ['bare + xstate', [...BARE, 'xstate']],
  ['bare + xstate, koa-compose, path-to-regexp (import)', [...BARE, 'xstate', 'koa-compose', 'path-to-regexp']],
  ['bare + xstate, koa-compose, path-to-regexp (require)', [...BARE, 'require:xstate', 'require:koa-compose', 'require:path-to-regexp']],
  ['bare + node:inspector', [...BARE, 'node:inspector']],
  ['ours: the single-process module graph (run, service-json, single, up)', OURS],
];

const pin = cpus().length >= 2;
const node = privateNode();
const probe = join(REPO, 'bench/services/import-probe.mjs');
type Sample = { importMs: number; importCpuMs: number; sinceStartMs: number; rssMiB: number; pssMiB: number; heapMiB: number };
const samples = new Map<string, Sample[]>(SETS.map(([name]) => [name, []]));
try {
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < SETS.length; i++) {
      const [name, specifiers] = SETS[(i + round) % SETS.length]!;
      const args = ['--expose-gc', probe, ...specifiers];
      const out = pin
        ? execFileSync('taskset', ['-c', '0', node.path, ...args], { cwd: REPO, encoding: 'utf8', timeout: 30_000 })
        : execFileSync(node.path, args, { cwd: REPO, encoding: 'utf8', timeout: 30_000 });
      samples.get(name)!.push(JSON.parse(out));
    }
  }
} finally {
  node.remove();
}

const med = (name: string, key: keyof Sample) => summarize(samples.get(name)!.map((s) => s[key]))!.median;
console.log(`${rounds} fresh processes per set, ${pin ? 'pinned to CPU 0, ' : ''}Node ${process.version}; min / **median** / max; Δ = median minus "node alone".\n`);
console.log('| modules imported | import wall ms | import CPU ms | Δ RSS MiB | Δ PSS MiB | Δ live heap MiB | RSS MiB |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const [name] of SETS) {
  const list = samples.get(name)!;
  const delta = (key: keyof Sample) => fmt(med(name, key) - med('node alone', key), 1);
  console.log(
    `| ${name} | ${cell(summarize(list.map((s) => s.importMs)), 1)} | ${cell(summarize(list.map((s) => s.importCpuMs)), 1)} | ${delta('rssMiB')} | ${delta('pssMiB')} | ${delta('heapMiB')} | ${cell(summarize(list.map((s) => s.rssMiB)), 1)} |`,
  );
}
