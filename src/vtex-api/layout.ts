/**
 * Where a platform app's files are. Two layouts, one shape:
 * - the SDK's own (what its `startApp` reads, relative to the working directory, as the platform's
 *   node builder lays out the compiled app): `service/service.json`, entry `service/src/node/index`;
 * - an app folder as a developer has it (`service-lifecycle start <app-root>`): `manifest.json` beside
 *   `node/`, which holds `service.json` and `index.ts` or `index.js`.
 * Only `node:fs` and `node:path` here: the CLI reads this module to decide whether to load the adapter.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface AppLayout {
  kind: 'sdk' | 'app-folder';
  /** The lifecycle's root: the working directory, or the app folder. */
  root: string;
  /** Where the entry module lives (the SDK's `appPath`). */
  nodeDir: string;
  /** service.json, relative to `root`. */
  serviceJson: string;
  /** The app folder's manifest.json (absolute). */
  manifest?: string;
}

export const sdkLayout = (cwd: string): AppLayout => ({
  kind: 'sdk',
  root: cwd,
  nodeDir: join(cwd, 'service/src/node'),
  serviceJson: 'service/service.json',
});

export const appFolderLayout = (root: string): AppLayout => ({
  kind: 'app-folder',
  root,
  nodeDir: join(root, 'node'),
  serviceJson: 'node/service.json',
  manifest: join(root, 'manifest.json'),
});

const isDirectory = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** A platform app folder: `manifest.json` beside a `node/` folder (what is missing inside is reported at boot). */
export const isPlatformApp = (root: string) => existsSync(join(root, 'manifest.json')) && isDirectory(join(root, 'node'));

/**
 * The entry the SDK will `require` as `<nodeDir>/index`: compiled `index.js` first (as Node resolves
 * it), else `index.ts`, which needs a TypeScript require hook.
 */
export function findEntry(nodeDir: string): string | undefined {
  return ['index.js', 'index.ts'].map((name) => join(nodeDir, name)).find((file) => existsSync(file));
}
