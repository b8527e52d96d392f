/**
 * The package as a user gets it: `npm pack` of this repository (dist/ is built by `npm test`) and a
 * new project that installs the tarball, from npm's cache where it can.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './service.js';

export const PACKAGE = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { name: string; version: string; exports: Record<string, unknown> };

/** Packs the repository into `dir`; returns the tarball's file name. */
export function pack(dir: string): string {
  return execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: REPO, encoding: 'utf8' }).trim().split('\n').at(-1)!;
}

export function npm(project: string, ...args: string[]) {
  execFileSync('npm', [...args, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * A new project with the tarball installed. `init` runs `npm init -y` as a newcomer would (npm 11
 * writes "type": "commonjs"); otherwise a minimal ESM package.json.
 */
export function projectWithPackage(opts: { init?: boolean } = {}): string {
  const project = mkdtempSync(join(tmpdir(), 'packed-project-'));
  const tarball = pack(project);
  if (opts.init) execFileSync('npm', ['init', '-y'], { cwd: project, stdio: 'ignore' });
  else writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'packed-try', private: true, type: 'module' }));
  npm(project, 'install', '--ignore-scripts', `./${tarball}`);
  return project;
}
