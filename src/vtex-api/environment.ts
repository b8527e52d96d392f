/**
 * The environment the SDK reads when it is required (module constants), set before it loads: the
 * app's identity from an app folder's manifest.json, the documented defaults for a local run, and
 * linked mode under the SDK's own name. A value already set in the environment always wins.
 */
import { readFileSync } from 'node:fs';
import { EXIT, LifecycleError } from '../embed.js';
import type { AppLayout } from './layout.js';

/** Where a local run is, unless the environment says otherwise. */
export const LOCAL_DEFAULTS = {
  VTEX_ACCOUNT: 'local',
  /** The SDK's own default workspace. */
  VTEX_WORKSPACE: 'master',
  VTEX_REGION: 'local',
  VTEX_PRODUCTION: 'false',
} as const;

const fail = (message: string, field: string) => new LifecycleError(message, EXIT.BOOT_FAILED, field);

/** `VTEX_APP_*` from manifest.json's vendor, name and version. */
export function manifestEnv(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw fail(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code}); an app folder needs manifest.json beside node/`, 'manifest.json');
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (err) {
    throw fail(`${file}: invalid JSON (${(err as Error).message}); fix the syntax there`, 'manifest.json');
  }
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
    throw fail(`${file}: expected a JSON object such as {"vendor": "acme", "name": "my-app", "version": "0.1.0"}`, 'manifest.json');
  }
  const fields = manifest as Record<string, unknown>;
  for (const [key, example] of [['vendor', 'acme'], ['name', 'my-app'], ['version', '0.1.0']] as const) {
    const value = fields[key];
    if (typeof value !== 'string' || value === '') {
      throw fail(`${file}: "${key}" ${value === undefined ? 'missing' : `is ${JSON.stringify(value)}`}; expected a non-empty string such as "${example}"`, `manifest.json.${key}`);
    }
  }
  if (!/^\d+\.\d+\.\d+/.test(fields.version as string)) {
    throw fail(`${file}: "version" is ${JSON.stringify(fields.version)}; expected a semver version such as "0.1.0"`, 'manifest.json.version');
  }
  const { vendor, name, version } = fields as Record<'vendor' | 'name' | 'version', string>;
  return { VTEX_APP_VENDOR: vendor, VTEX_APP_NAME: name, VTEX_APP_VERSION: version, VTEX_APP_ID: `${vendor}.${name}@${version}` };
}

/**
 * Before the SDK is required, in the process the user started (cluster workers inherit it). An app
 * folder gets its identity and the local defaults; the SDK's layout runs where the platform sets
 * them, so only the one the SDK cannot boot without is checked.
 */
export function prepareEnvironment(layout: AppLayout, env: NodeJS.ProcessEnv) {
  // Our linked switch, under the SDK's name: it reads only VTEX_APP_LINK, once, at require time.
  if (env.SERVICE_LINKED && !env.VTEX_APP_LINK) env.VTEX_APP_LINK = env.SERVICE_LINKED;
  if (layout.manifest) {
    for (const [key, value] of Object.entries({ ...manifestEnv(layout.manifest), ...LOCAL_DEFAULTS })) if (!env[key]) env[key] = value;
  }
  if (!env.VTEX_APP_ID) {
    throw fail(
      'VTEX_APP_ID is not set; the SDK needs the app id (vendor.name@version, e.g. vtex.service-example@0.3.0): set it, or run the app folder with service-lifecycle start <app-root>',
      'VTEX_APP_ID',
    );
  }
}
