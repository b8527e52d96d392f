/** Every type an integrator needs (`service-lifecycle/types`); types only, nothing to load. */
export type { LifecycleContext, LifecycleEvent, LifecycleInput } from '../machines/lifecycle.js';
export type {
  AppChannel,
  AppContext,
  AppOptions,
  Broadcast,
  DrainOptions,
  HttpRunner,
  LoadConfigInput,
  LoadedConfig,
  MessageSource,
  Mode,
  RequestListener,
  ResolveWorkersInput,
  Role,
  RunDrainInput,
  Runner,
  ServerStats,
  StartClusterInput,
  StartInput,
  UpInfo,
  WorkerDecision,
} from './core/types.js';
export type { DrainSignal, SignalEvent } from './core/signals.js';
export type { ExitCode } from './core/exit-codes.js';
export type { Level as LogLevel } from './core/log.js';
export type { StartOptions } from './core/run.js';
export type { ServeOptions } from './serving/http-runner.js';
export type { HttpDrainOptions } from './serving/drain.js';
export type { RuntimeEnv } from './config/env.js';
export type { ClusterTransport } from './config/cluster-transport.js';
export type { RouteDecl, ServiceJson } from './config/service-json.js';
export type { Middleware, ServiceDefinition } from './service/define-service.js';
