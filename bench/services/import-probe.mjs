// Child of bench/deps.ts: imports the modules named in argv (in order) and prints what that cost.
// `require:<name>` loads that one with require instead. Run with --expose-gc so the heap figure is
// live objects, not garbage.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const started = performance.now();
const cpuStart = process.cpuUsage();
for (const specifier of process.argv.slice(2)) {
  if (specifier.startsWith('require:')) require(specifier.slice('require:'.length));
  else await import(specifier);
}
const importMs = performance.now() - started;
const cpu = process.cpuUsage(cpuStart);
const importCpuMs = (cpu.user + cpu.system) / 1000;
globalThis.gc?.();
globalThis.gc?.();
const { rss, heapUsed } = process.memoryUsage();
const pssKb = Number(/^Pss:\s+(\d+)/m.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'))?.[1] ?? 0);
console.log(JSON.stringify({ importMs, importCpuMs, sinceStartMs: performance.now(), rssMiB: rss / 2 ** 20, pssMiB: pssKb / 1024, heapMiB: heapUsed / 2 ** 20 }));
