/**
 * A `@vtex/api` app as an app of the embedding API: the SDK builds it (its own middleware, routes and
 * built-ins), the lifecycle runs it. Its IPC messages (log-once, status track) go over the app
 * channel, so they work the same in a single process and in a cluster.
 */
import { cpus } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { EXIT, LifecycleError, loadServiceJson, log, resolveWorkerCount } from '../embed.js';
import type { AppOptions, Broadcast, MessageSource } from '../types.js';
import { prepareEnvironment } from './environment.js';
import { findEntry, type AppLayout } from './layout.js';
import { routesByPath } from './routes-by-path.js';
import { buildSdkApp, logAvailableRoutes, resolveSdk, SDK } from './sdk.js';

export interface VtexAppOptions {
  layout: AppLayout;
  /** Public routes answer by path and private ones get their account from the path (local runs). */
  routesByPath: boolean;
}

/** The module a cluster primary forks for a platform app, and the arguments that rebuild its options. */
export const WORKER_MAIN = fileURLToPath(new URL('./worker-main.js', import.meta.url));
export const workerArgs = ({ layout, routesByPath }: VtexAppOptions) => [layout.kind, layout.root, routesByPath ? 'routes-by-path' : 'headers'];

/** The platform app's lifecycle: config, the SDK's app in every serving process, its messages, its route listing. */
export function vtexApp(options: VtexAppOptions): AppOptions<unknown, unknown> {
  const { layout } = options;
  return {
    // In the process the user started, before anything forks: every problem is one boot-failed line.
    async serviceJson() {
      prepareEnvironment(layout, process.env);
      const serviceJson = await loadServiceJson(layout.root, layout.serviceJson);
      if (!findEntry(layout.nodeDir)) {
        throw new LifecycleError(`${layout.nodeDir}: no entry module; create index.ts or index.js there exporting default new Service({ … })`, EXIT.BOOT_FAILED, 'entry');
      }
      resolveSdk(layout.nodeDir);
      return serviceJson;
    },
    healthPath: '/healthcheck',
    builtins: [...SDK.builtins],
    workerEntry: WORKER_MAIN,
    workerArgs: workerArgs(options),

    async app({ config, mode, channel }) {
      const sdk = resolveSdk(layout.nodeDir);
      // What the SDK divides its client caches by: the resolved count, as the primary resolved it.
      const workers = mode === 'single' ? 1 : resolveWorkerCount(config.serviceJson.workers, { linked: config.runtime.linked, cpus: cpus().length }).workers;
      // The SDK requires `<nodeDir>/index`; a TypeScript entry needs a require hook (tsx's, CommonJS).
      const typescript = findEntry(layout.nodeDir)?.endsWith('.ts');
      const sdkApp = await buildSdkApp(sdk, layout, { ...config.serviceJson, workers }, typescript ? registerTypeScript : undefined);
      channel.onMessage((message) => {
        if (message === SDK.statusTrack) sdkApp.trackStatus();
      });
      const addHeaders = options.routesByPath ? routesByPath(config.serviceJson, process.env) : undefined;
      // A cluster worker's /_status sends the broadcast request itself (process.send); in one process
      // it has nobody to send it to, so it goes through the channel (not linked, as the SDK does).
      const relayStatusTrack = mode === 'single' && !config.runtime.linked;
      return (req, res) => {
        addHeaders?.(req);
        if (relayStatusTrack && isStatusPath(req.url)) res.once('finish', () => channel.send(SDK.broadcastStatusTrack));
        sdkApp.listener(req, res);
      };
    },

    onWorkerMessage: sdkMessages(),
    onUp: ({ config, workers }) => logAvailableRoutes(resolveSdk(layout.nodeDir), { ...config.serviceJson, workers }),
  };
}

/**
 * tsx's CommonJS require hook. Its transforms run in esbuild, which by default keeps a worker thread
 * and a service process for synchronous calls; with ESBUILD_WORKER_THREADS=0 (read once, when tsx
 * loads esbuild) each transform is one short synchronous run instead, so a single process stays one.
 * tsx caches what it transformed, so a second boot transforms nothing. Registered once the SDK itself
 * is loaded: every require through the hook costs, and the SDK's are ~2 000 (registered first: +0.7 s of
 * CPU and 18 MiB for the example app, measured).
 */
function registerTypeScript() {
  const env = process.env;
  const own = env.ESBUILD_WORKER_THREADS === undefined;
  if (own) env.ESBUILD_WORKER_THREADS = '0';
  try {
    (createRequire(import.meta.url)('tsx/cjs/api') as { register(): void }).register();
  } finally {
    if (own) delete env.ESBUILD_WORKER_THREADS;
  }
}

const isStatusPath = (url = '') => url === '/_status' || url.startsWith('/_status?');

interface LogOnce {
  cmd: typeof SDK.logOnceCmd;
  level: string;
  message: unknown;
}
const isLogOnce = (message: unknown): message is LogOnce => (message as LogOnce | null)?.cmd === SDK.logOnceCmd;

/** The SDK primary remembers the last 42 log-once messages; so does this. */
const LOG_ONCE_MEMORY = 42;

/**
 * What the SDK's primary does with its workers' messages: a log-once message is printed once for the
 * whole service, as the SDK prints it (`console[level]`); a status-track request reaches every worker.
 */
function sdkMessages() {
  const printed = new Set<string>();
  return (message: unknown, from: MessageSource, cluster: Broadcast<unknown>) => {
    if (isLogOnce(message)) {
      const key = JSON.stringify(message.message);
      if (printed.has(key)) return;
      printed.add(key);
      if (printed.size > LOG_ONCE_MEMORY) printed.delete(printed.values().next().value!);
      const print = (console as unknown as Record<string, unknown>)[message.level];
      if (typeof print === 'function') print.call(console, message.message);
    } else if (message === SDK.broadcastStatusTrack) {
      cluster.broadcast(SDK.statusTrack);
    } else {
      log('warn', 'ipc-unknown-message', { workerPid: from.pid, message: (JSON.stringify(message) ?? String(message)).slice(0, 200), note: 'ignored' });
    }
  };
}
