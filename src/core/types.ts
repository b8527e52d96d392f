/**
 * The lifecycle's types: what the statechart holds and what its actors take and return. Lower layers
 * (serving, cluster) import them from here and never the machine itself; integrators get them all
 * from `service-lifecycle/types`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClusterTransport } from '../config/cluster-transport.js';
import type { RuntimeEnv } from '../config/env.js';
import type { ServiceJson } from '../config/service-json.js';
import type { WorkersFrom } from '../config/workers.js';
import type { DrainSignal } from './signals.js';

/** `main` is the process the user started; `worker` was forked by a cluster primary. */
export type Role = 'main' | 'worker';

/** How the HTTP service runs: in this process, as one worker of a cluster, or as the cluster's primary. */
export type Mode = 'single' | 'worker' | 'cluster';

export interface LoadedConfig {
  root: string;
  serviceJson: ServiceJson;
  runtime: RuntimeEnv;
  /** Paths the app answers besides service.json's routes, for the `routes` line. */
  builtins?: string[];
  /** The app's `onUp` (see `AppOptions`), run once the service answers. */
  onUp?: (up: UpInfo) => void | Promise<void>;
}

/** What `onUp` learns once the service answers: once per boot, in the process the user started. */
export interface UpInfo {
  config: LoadedConfig;
  /** `single`, or `cluster` in a cluster primary (the first worker listens). */
  mode: 'single' | 'cluster';
  workers: number;
  port: number;
}

export interface WorkerDecision {
  workers: number;
  mode: Mode;
  /** Which setting decided the count (`WORKERS`, `service.json`, `CPU count`, `linked mode`); absent in a worker. */
  from?: WorkersFrom;
  /**
   * How new connections reach the workers: in the primary, its choice (`CLUSTER_REUSEPORT`, where
   * supported); in a worker, what its primary decided. Absent in single-process mode.
   */
  transport?: ClusterTransport;
}

export interface DrainOptions {
  signal: DrainSignal;
  /** Hard limit from the signal: whatever is still open then is destroyed (or SIGKILLed). */
  deadlineMs: number;
  /** Readiness reports 503 but the listener keeps accepting for this long. */
  delayMs: number;
}

/**
 * What the statechart holds once serving starts. `Single` (serving/single.ts) and `Cluster`
 * (cluster/primary.ts) are siblings behind this interface; a cluster worker is a `Single` whose
 * messages go through the primary.
 */
export interface Runner {
  readonly mode: Mode;
  readonly port: number;
  /**
   * The instant part of a drain, run by the transition into `draining` itself so that it waits for
   * nothing: readiness answers 503 and new responses carry `Connection: close`; a cluster primary
   * signals its workers. `drain()` does it too if it has not happened.
   */
  beginDrain(signal: DrainSignal): void;
  /** Resolves when nothing of the service is left running (sockets closed, workers exited). */
  drain(options: DrainOptions): Promise<void>;
  /** A later signal during the drain: the deadline can only come closer; a cluster passes the signal on. */
  shortenDeadline(signal: DrainSignal, ms: number): void;
  /** What the inspector and the transition log see of it. */
  toJSON(): Record<string, unknown>;
}

/** What a serving process counts, for status lines and the `drained` line. */
export interface ServerStats {
  openConnections: number;
  requestsServed: number;
}

/** A runner that serves HTTP in this process: single-process mode, or one cluster worker. */
export interface HttpRunner extends Runner {
  readonly mode: 'single' | 'worker';
  stats(): ServerStats;
}

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Where a message to the primary came from: a worker, or this process in single-process mode. */
export interface MessageSource {
  pid: number;
  /** The worker's slot (0 … workers-1); 0 in single-process mode. */
  slot: number;
}

/**
 * How a serving process reaches "the rest of the service". In single-process mode that is this
 * process itself; a cluster worker goes through the primary. Ours (log-once, status track) and the
 * app's own messages travel side by side and never mix.
 */
export interface AppChannel<ToPrimary = unknown, ToWorker = unknown> {
  /** Prints a `log-once` line the first time a message is seen: per process, or per cluster. */
  logOnce(message: string): void;
  /** Logs this process's `metric/status` line; in a cluster, the primary's and every worker's. */
  statusTrack(): void;
  /** To `onWorkerMessage` in the primary (in single-process mode, in this process). */
  send(message: ToPrimary): void;
  /** What `onWorkerMessage` broadcasts; returns the function that unsubscribes. */
  onMessage(listener: (message: ToWorker) => void): () => void;
}

export interface AppContext<ToPrimary = unknown, ToWorker = unknown> {
  config: LoadedConfig;
  mode: 'single' | 'worker';
  channel: AppChannel<ToPrimary, ToWorker>;
}

/** What the primary (or, in single-process mode, this process) can do with the app's messages. */
export interface Broadcast<ToWorker = unknown> {
  /** Sends to every live worker (in single-process mode, to this process's own listeners). */
  broadcast(message: ToWorker): void;
}

/**
 * An app the lifecycle serves: what `appActors()` turns into the `loadConfig`, `startInline` and
 * `startCluster` actors. The CLI's own service shape (service.json + an entry exporting `{ routes }`)
 * is one of these (`serviceApp`).
 */
export interface AppOptions<ToPrimary = unknown, ToWorker = unknown> {
  /**
   * Where service.json comes from: a path relative to the root (default `service.json`), or a
   * function returning its content. It is validated either way.
   */
  serviceJson?: string | ((root: string) => unknown | Promise<unknown>);
  /** Builds the request listener, once in each serving process (the single process, or every worker). */
  app(context: AppContext<ToPrimary, ToWorker>): RequestListener | Promise<RequestListener>;
  /** GET/HEAD of this path answers 503 once draining starts, before the app sees it. `false`: none. Default `/healthcheck`. */
  healthPath?: string | false;
  /** Paths the app answers besides service.json's routes, listed in the `routes` line. Default: the health path. */
  builtins?: string[];
  /** The module a cluster primary forks; it must boot the machine with `role: 'worker'`. Default: the script node was started with. */
  workerEntry?: string | URL;
  /** Arguments the workers get (or a function of the config). Default: this process's own. */
  workerArgs?: string[] | ((config: LoadedConfig) => string[]);
  /** The app's own messages from a worker (from this process in single-process mode). */
  onWorkerMessage?(message: ToPrimary, from: MessageSource, cluster: Broadcast<ToWorker>): void;
  /**
   * Once per boot, in the process the user started (never in a worker), when the service first
   * answers: after the `up` and `routes` lines, before the `LIFECYCLE_UP_URL` POST. For an app's own
   * announcement (a route listing, a registration). A throw or rejection is an `up-hook-failed` warning.
   */
  onUp?(up: UpInfo): void | Promise<void>;
}

export interface LoadConfigInput {
  root: string;
  env: NodeJS.ProcessEnv;
  flags: { port?: string };
  role: Role;
}

export interface ResolveWorkersInput {
  config: LoadedConfig;
  role: Role;
}

export interface StartInput {
  config: LoadedConfig;
  decision: WorkerDecision;
}

export interface StartClusterInput extends StartInput {
  /** Set by the state that invokes `startCluster`: `forkingCluster.starting` or `forkingCluster.startingReusePort`. */
  transport: ClusterTransport;
  /** The primary gave up (crash loop): the statechart exits with `exitCode`. */
  onGiveUp(reason: string, exitCode: number): void;
}

export interface RunDrainInput {
  runner: Runner;
  signal: DrainSignal;
  config: LoadedConfig;
}
