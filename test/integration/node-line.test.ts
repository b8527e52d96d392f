/**
 * scripts/node-line.mjs against a registry on loopback that fails the way a slow or flaky one does:
 * the real npm CLI (whose retries the script configures), the real tar, the script as its own process. The "Node" it serves is a shell
 * script answering as v99.1.0, so nothing real is downloaded.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';

const SCRIPT = resolve('scripts/node-line.mjs');
const PKG = `node-${process.platform}-${process.arch}`;
const VERSION = '99.1.0';

let dir: string;
let tarball: Buffer;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'node-line-'));
  const pkg = join(dir, 'src', 'package');
  mkdirSync(join(pkg, 'bin'), { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: PKG, version: VERSION }));
  writeFileSync(join(pkg, 'LICENSE'), 'test\n');
  writeFileSync(join(pkg, 'bin', 'node'), `#!/bin/sh\necho "v${VERSION} ${process.platform}-${process.arch}"\n`);
  chmodSync(join(pkg, 'bin', 'node'), 0o755);
  execFileSync('tar', ['-czf', join(dir, 'pkg.tgz'), '-C', join(dir, 'src'), 'package']);
  tarball = readFileSync(join(dir, 'pkg.tgz'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the registry does with the nth request (from 1) for the package document or the tarball. */
interface Script {
  packument(n: number): 'ok' | 503 | 404;
  tarball(n: number): 'ok' | 'corrupt';
}

async function registry(script: Script) {
  const seen = { packument: 0, tarball: 0 };
  const server: Server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    if (req.url?.endsWith('.tgz')) {
      const how = script.tarball(++seen.tarball);
      const body = how === 'ok' ? tarball : Buffer.concat([tarball.subarray(0, 100), Buffer.alloc(64)]);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
      return;
    }
    const how = script.packument(++seen.packument);
    if (how !== 'ok') return res.writeHead(how, { 'content-type': 'application/json' }).end('{"error":"not now"}');
    const dist = {
      tarball: `${base}/${PKG}/-/${PKG}-${VERSION}.tgz`,
      shasum: createHash('sha1').update(tarball).digest('hex'),
      integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}`,
    };
    const doc = { name: PKG, 'dist-tags': { latest: VERSION }, versions: { [VERSION]: { name: PKG, version: VERSION, dist } } };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, seen, close: () => new Promise((ok) => server.close(ok)) };
}

/** Runs the script as npm run test:node would; every run gets an empty cache of binaries and of npm's own. */
function nodeLine(arg: string, registryUrl: string) {
  const run = mkdtempSync(join(dir, 'run-'));
  const env = { ...process.env, NODE_LINES_DIR: join(run, 'lines'), npm_config_registry: registryUrl, npm_config_cache: join(run, 'npm-cache') };
  return new Promise<{ code: number | null; stdout: string; stderr: string; cache: string }>((done) => {
    const child = spawn(process.execPath, [SCRIPT, arg], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr, cache: join(run, 'lines') }));
  });
}

test('a registry that fails a look-up and a download once: npm tries again, the binary is cached and its path printed', async () => {
  const reg = await registry({ packument: (n) => (n === 1 ? 503 : 'ok'), tarball: (n) => (n === 1 ? 'corrupt' : 'ok') });
  try {
    const run = await nodeLine('99', reg.url);
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
      code: 0,
      stdout: `${join(run.cache, VERSION, 'bin', 'node')}\n`,
      stderr: `node-line: downloading ${PKG}@${VERSION} from the npm registry…\n`,
    });
    expect(reg.seen.packument).toBeGreaterThanOrEqual(2);
    expect(reg.seen.tarball).toBe(2);
    expect(execFileSync(run.stdout.trim(), { encoding: 'utf8' })).toBe(`v${VERSION} ${process.platform}-${process.arch}\n`);
  } finally {
    await reg.close();
  }
});

test('a major the registry does not have: exit 69 at once, one line naming it, not retried', async () => {
  const reg = await registry({ packument: () => 404, tarball: () => 'ok' });
  try {
    const run = await nodeLine('99', reg.url);
    expect(run.code).toBe(69);
    expect(run.stderr).toBe(`node-line: the registry has no ${PKG}@99; pass a published major such as 22, 24 or 26\n`);
    expect(reg.seen).toEqual({ packument: 1, tarball: 0 });
  } finally {
    await reg.close();
  }
});

test('not a Node line: exit 64, the registry is not asked', async () => {
  const reg = await registry({ packument: () => 'ok', tarball: () => 'ok' });
  try {
    const run = await nodeLine('17', reg.url);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/^node-line: got "17"; expected a Node major \(18 or later\)/);
    expect(reg.seen).toEqual({ packument: 0, tarball: 0 });
  } finally {
    await reg.close();
  }
});
