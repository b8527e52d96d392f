/**
 * `--node <line>`: which Node binary the services run on. A major (`24`: its newest release) or an
 * exact version (`24.22.3`), fetched once from the npm registry by scripts/node-line.mjs into
 * .node-lines/; or the path of a node binary. Without it, the Node running the bench.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './variants.js';

export interface NodeBinary {
  path: string;
  /** `v24.22.3` */
  version: string;
  major: number;
}

export function resolveNodeBinary(line: string | undefined): NodeBinary {
  let path = process.execPath;
  if (line !== undefined && line !== '') {
    if (line.includes('/')) {
      if (!existsSync(line)) throw new Error(`--node ${line}: no such file; pass a major (24), a version (24.22.3) or the path of a node binary`);
      path = line;
    } else {
      // Progress goes to stderr (inherited), the path alone to stdout; exits 64 naming a bad argument.
      path = execFileSync(process.execPath, [join(REPO, 'scripts/node-line.mjs'), line], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    }
  }
  const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
  return { path, version, major: Number(version.replace(/^v/, '').split('.')[0]) };
}
