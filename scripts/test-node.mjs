#!/usr/bin/env node
// Usage: npm run test:node -- <major | x.y.z> [vitest arguments…]
//
// The whole suite on one Node line: the build and the type check run once on the Node running npm
// (their output does not depend on the Node line), then `vitest run` runs under the line's binary
// (scripts/node-line.mjs fetches and caches it). Vitest forks its test workers with its own
// process.execPath, and the tests spawn services with process.execPath, so every process of the run
// is that Node; its folder also goes first on PATH, so `#!/usr/bin/env node` scripts (npx, the bin)
// run on it too. Extra arguments go to vitest (e.g. a test file). Exits with vitest's code.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodeLineError, nodeLine, parseLine } from './node-line.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [line, ...vitestArgs] = process.argv.slice(2);
const say = (text) => process.stdout.write(`test:node: ${text}\n`);

let node;
try {
  parseLine(line);
  node = nodeLine(line);
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(error instanceof NodeLineError ? error.code : 70);
}

const started = Date.now();
for (const script of ['build', 'typecheck']) {
  const result = spawnSync('npm', ['run', script, '--silent'], { cwd: REPO, stdio: 'inherit' });
  if (result.status !== 0) {
    say(`npm run ${script} failed (exit ${result.status ?? result.signal}) on ${process.version}; the suite did not run`);
    process.exit(result.status || 1);
  }
}

say(`vitest run on Node v${node.version} (${node.bin}; the build and type check ran on ${process.version})`);
const env = { ...process.env, PATH: `${dirname(node.bin)}:${process.env.PATH ?? ''}` };
const vitest = spawnSync(node.bin, [join(REPO, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...vitestArgs], { cwd: REPO, env, stdio: 'inherit' });
const code = vitest.status ?? (vitest.signal ? 128 : 1);
const seconds = ((Date.now() - started) / 1000).toFixed(0);
say(`Node v${node.version}: ${code === 0 ? 'passed' : `FAILED (vitest exit ${vitest.status ?? vitest.signal})`} in ${seconds} s`);
process.exit(code);
