/**
 * Every use of `@vtex/api`'s internals, in one module: where the package is, whether its version is
 * one we support, building its app without its process listeners, its status flush and its route
 * listing. Deep paths (`lib/…`) and the SDK's IPC strings are read in 6.28.1 … 6.51.3 (the tested
 * range, `SUPPORTED_SDK_RANGE`); 7.x creates its globals inside `startApp` and needs its own path.
 * Nothing here loads the SDK until a function is called, and the version is checked from its
 * package.json before any of it is required.
 */
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { EXIT, LifecycleError, log } from '../embed.js';
import type { RequestListener } from '../types.js';
import type { AppLayout } from './layout.js';

export const SUPPORTED_SDK_RANGE = '>=6.28.1 <7';
const LOWEST: readonly number[] = [6, 28, 1];
const FIRST_UNSUPPORTED_MAJOR = 7;
const INSTALL = '"@vtex/api": "^6.51.3"';

/** The SDK's own protocol, as its primary and workers speak it (`lib/service/…`). */
export const SDK = {
  /** Worker → primary: `{ cmd: 'logOnce', level, message }` (service/logger/console.js). */
  logOnceCmd: 'logOnce',
  /** Worker → primary: a `/_status` request (worker/runtime/statusTrack.js). */
  broadcastStatusTrack: 'broadcastStatusTrack',
  /** Primary → every worker: flush the metrics. */
  statusTrack: 'statusTrack',
  /** Where its first worker POSTs `{"statusTrack":true}` once up (worker/index.js, `upSignal`). */
  upUrl: 'http://localhost:5000/_up',
  /** Answered by the SDK's app itself; no route matching or header injection for these. */
  builtins: ['/healthcheck', '/_status', '/_metrics', '/metrics'],
} as const;

export interface SdkPackage {
  dir: string;
  version: string;
}

/** The package directories Node would look in from `file`, in order. */
const lookups = (file: string) => (createRequire(file).resolve.paths('@vtex/api') ?? []).map((base) => join(base, '@vtex/api'));

/**
 * `@vtex/api` as the app resolves it (from its entry's folder), else as service-lifecycle does.
 * A missing package or a version outside the range is one boot error naming the fix.
 */
export function resolveSdk(nodeDir: string): SdkPackage {
  const dir = [...lookups(join(nodeDir, 'index.js')), ...lookups(import.meta.filename)].find((candidate) => existsSync(join(candidate, 'package.json')));
  if (!dir) {
    throw new LifecycleError(
      `@vtex/api is not installed: not found from ${nodeDir} nor from service-lifecycle; add ${INSTALL} to the app's package.json (or beside service-lifecycle) and run npm install`,
      EXIT.BOOT_FAILED,
      '@vtex/api',
    );
  }
  const version = String((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: unknown }).version);
  if (!inRange(version)) {
    throw new LifecycleError(
      `@vtex/api ${version} (${dir}) is outside the supported range ${SUPPORTED_SDK_RANGE}; install ${INSTALL}`,
      EXIT.BOOT_FAILED,
      '@vtex/api',
    );
  }
  return { dir, version };
}

function inRange(version: string): boolean {
  const parts = /^(\d+)\.(\d+)\.(\d+)/.exec(version)?.slice(1).map(Number);
  if (!parts || parts[0]! >= FIRST_UNSUPPORTED_MAJOR) return false;
  for (let i = 0; i < LOWEST.length; i++) if (parts[i] !== LOWEST[i]) return parts[i]! > LOWEST[i]!;
  return true;
}

const sdkRequire = (sdk: SdkPackage) => createRequire(join(sdk.dir, 'package.json'));

/** The SDK listeners that would end the process on their own: ours drain and exit instead. */
const REMOVED = ['SIGTERM', 'SIGINT', 'uncaughtException'];

export interface SdkApp {
  listener: RequestListener;
  /** What an SDK worker does on the primary's `statusTrack`: flush its metrics. */
  trackStatus(): void;
}

/**
 * The SDK's worker app (`startWorker`), built in this process and not listening: its middleware, the
 * app's `Service` from the entry, its routes and built-ins, its client caches scaled to `workers`.
 * Its `SIGTERM`, `SIGINT` and `uncaughtException` listeners are removed (they exit at once, or with
 * 420), and so is its IPC `message` handler (its `UP` POST has no error handler); the rejection and
 * warning loggers stay. `beforeEntry` runs just before the entry is required. A failure to build is a
 * boot error (78).
 */
export async function buildSdkApp(sdk: SdkPackage, layout: AppLayout, serviceJson: Record<string, unknown>, beforeEntry?: () => void): Promise<SdkApp> {
  try {
    return await build(sdk, layout, serviceJson, beforeEntry);
  } catch (err) {
    throw buildError(err, sdk, layout);
  }
}

async function build(sdk: SdkPackage, layout: AppLayout, serviceJson: Record<string, unknown>, beforeEntry?: () => void): Promise<SdkApp> {
  const req = sdkRequire(sdk);
  // The package root first, as any normal boot: some 6.x have require cycles that leave IOClients
  // undefined when a deep module loads first. It sets FORCE_COLOR=1 and global.metrics.
  req(sdk.dir);
  const loaders = req('./lib/service/loaders.js') as Record<string, unknown>;
  // Read at call time by getService(): the entry is required from here, whatever the working directory.
  loaders.appPath = `${layout.nodeDir}/`;
  loaders.bundlePath = join(layout.nodeDir, 'index');
  loaders.serviceJsonPath = join(layout.root, layout.serviceJson);

  // addProcessListeners() guards itself with a module flag, so once called here, startWorker's own
  // call adds nothing: what it added is exactly the difference, and the app's listeners stay untouched.
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(REMOVED.map((event) => [event, emitter.listeners(event)]));
  (req('./lib/service/worker/listeners.js') as { addProcessListeners(): void }).addProcessListeners();
  for (const [event, listeners] of before) {
    for (const listener of emitter.listeners(event)) if (!listeners.includes(listener)) emitter.removeListener(event, listener as () => void);
  }

  const messageListeners = process.listeners('message').length;
  const { startWorker } = req('./lib/service/worker/index.js') as { startWorker(s: unknown): { callback(): RequestListener } };
  // The SDK's own ~2 000 modules are loaded by now; a require hook registered here sees only the app's.
  beforeEntry?.();
  const app = await startWorker(serviceJson);
  // startWorker's last statement: process.on('message', onMessage(serviceJSON)).
  const messages = process.listeners('message');
  if (messages.length > messageListeners) process.removeListener('message', messages.at(-1)!);

  warnOnSecondCopy();
  const { trackStatus } = req('./lib/service/worker/runtime/statusTrack.js') as { trackStatus(): void };
  return { listener: app.callback(), trackStatus };
}

function buildError(err: unknown, sdk: SdkPackage, layout: AppLayout) {
  const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
  if ((err as NodeJS.ErrnoException)?.code === 'MODULE_NOT_FOUND' && message.includes("'@vtex/api'")) {
    return new LifecycleError(
      `${layout.nodeDir}: the app cannot require @vtex/api (service-lifecycle's copy at ${sdk.dir} is not on its path); add ${INSTALL} to the app's package.json and run npm install there`,
      EXIT.BOOT_FAILED,
      '@vtex/api',
    );
  }
  return new LifecycleError(`${layout.nodeDir}: the app failed to build: ${message}`, EXIT.BOOT_FAILED, 'entry');
}

/** The entry resolved another @vtex/api than ours: two SDKs in one process, split singletons. */
function warnOnSecondCopy() {
  const roots = Object.keys(createRequire(import.meta.filename).cache).filter((file) => /[\\/]@vtex[\\/]api[\\/]lib[\\/]index\.js$/.test(file));
  if (roots.length > 1) {
    log('warn', 'vtex-api-copies', { copies: roots.map((file) => dirname(dirname(file))), fix: 'install one @vtex/api: the app and service-lifecycle resolve different copies' });
  }
}

/** The SDK's route listing (`Available service routes: …`), as its worker prints it on `UP`. Loads only its constants. */
export function logAvailableRoutes(sdk: SdkPackage, serviceJson: Record<string, unknown>) {
  (sdkRequire(sdk)('./lib/service/worker/runtime/http/routes.js') as { logAvailableRoutes(s: unknown): void }).logAvailableRoutes(serviceJson);
}
