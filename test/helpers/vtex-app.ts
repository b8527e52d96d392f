/**
 * The platform app of examples/vtex-service-example laid out the two ways the adapter reads it: as an
 * app folder (what `service-lifecycle start <app-root>` runs) and as the platform's node builder
 * leaves it (the SDK's layout, compiled to JavaScript, booted by a one-line `startApp()` script).
 * Used by the tests and by the benchmark.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './service.js';

export const VTEX_EXAMPLE = join(REPO, 'examples/vtex-service-example');

/** The example's identity and a workspace, as the platform sets them (an app folder derives them from manifest.json). */
export const VTEX_ENV = {
  VTEX_APP_ID: 'vtex.service-example@0.3.0',
  VTEX_APP_VENDOR: 'vtex',
  VTEX_APP_NAME: 'service-example',
  VTEX_APP_VERSION: '0.3.0',
  VTEX_ACCOUNT: 'acme',
  VTEX_WORKSPACE: 'dev',
  VTEX_REGION: 'local',
  VTEX_PRODUCTION: 'false',
} as const;

type ServiceJson = Record<string, unknown>;
const editJson = (file: string, edit: (value: ServiceJson) => void) => {
  const value = JSON.parse(readFileSync(file, 'utf8')) as ServiceJson;
  edit(value);
  writeFileSync(file, JSON.stringify(value, null, 2));
};

/**
 * A copy of the example's app folder in a temp folder, service.json edited, with `node/node_modules`
 * linked to ours (the app's own install of @vtex/api) unless `modules: false`.
 */
export function appFolderCopy(opts: { serviceJson?: (value: ServiceJson) => void; modules?: boolean } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'vtex-app-'));
  cpSync(VTEX_EXAMPLE, root, { recursive: true });
  if (opts.serviceJson) editJson(join(root, 'node/service.json'), opts.serviceJson);
  if (opts.modules ?? true) symlinkSync(join(REPO, 'node_modules'), join(root, 'node/node_modules'));
  return root;
}

/** The boot script of a stage: ours (`service-lifecycle/vtex-api`) or the SDK's own `startApp`. */
export type StageMain = 'ours' | 'sdk';
const MAIN: Record<StageMain, string> = {
  ours: "require('service-lifecycle/vtex-api').startApp();\n",
  sdk: "require('@vtex/api').startApp();\n",
};

/**
 * The SDK's layout in a temp folder, as the node builder makes it: `service/service.json` (with
 * `workers`), the app compiled by tsc into `service/src/node/`, `node_modules/` with @vtex/api and
 * service-lifecycle (links to ours), and one boot script per `StageMain`: `node ours.cjs` or `node sdk.cjs` from there.
 */
export function sdkStage(opts: { workers: number }): string {
  const dir = mkdtempSync(join(tmpdir(), 'vtex-stage-'));
  const nodeDir = join(dir, 'service/src/node');
  mkdirSync(nodeDir, { recursive: true });
  execFileSync(join(REPO, 'node_modules/.bin/tsc'), ['-p', join(VTEX_EXAMPLE, 'node/tsconfig.json'), '--outDir', nodeDir], { stdio: 'inherit' });
  // No "type" field: the compiled app is CommonJS, as the SDK requires it.
  cpSync(join(VTEX_EXAMPLE, 'node/package.json'), join(nodeDir, 'package.json'));
  cpSync(join(VTEX_EXAMPLE, 'node/service.json'), join(dir, 'service/service.json'));
  editJson(join(dir, 'service/service.json'), (value) => (value.workers = opts.workers));
  mkdirSync(join(dir, 'node_modules/@vtex'), { recursive: true });
  symlinkSync(join(REPO, 'node_modules/@vtex/api'), join(dir, 'node_modules/@vtex/api'));
  symlinkSync(REPO, join(dir, 'node_modules/service-lifecycle'));
  for (const [name, text] of Object.entries(MAIN)) writeFileSync(join(dir, `${name}.cjs`), text);
  return dir;
}
