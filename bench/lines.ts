/**
 * `npm run bench:lines [-- 20 24 26 [bench/run.ts flags]]`: the whole benchmark once per Node line, one
 * line after the other (the same machine, so the sections are comparable), each writing its own
 * section of BENCHMARKS.md. Default lines: 20, 24, 26. Stops at the first line that fails.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './variants.js';

// The lines first, then bench/run.ts's own flags: `npm run bench:lines -- 20 24 --rounds 3`.
const args = process.argv.slice(2);
const firstFlag = args.findIndex((a) => a.startsWith('-'));
const lines = firstFlag < 0 ? args : args.slice(0, firstFlag);
const flags = firstFlag < 0 ? [] : args.slice(firstFlag);
for (const line of lines.length ? lines : ['20', '24', '26']) {
  process.stderr.write(`[bench:lines] Node ${line}\n`);
  const run = spawnSync(process.execPath, [join(REPO, 'node_modules/tsx/dist/cli.mjs'), join(REPO, 'bench/run.ts'), '--node', line, ...flags], { cwd: REPO, stdio: 'inherit' });
  if (run.status !== 0) {
    process.stderr.write(`[bench:lines] Node ${line} failed (exit ${run.status ?? run.signal}); the lines after it did not run\n`);
    process.exit(run.status || 1);
  }
}
