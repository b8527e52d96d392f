import { intVar } from '../config/env.js';

/** First respawn delay of a worker slot. */
export const RESPAWN_BASE_MS = 100;
/** Each further consecutive crash of the same slot multiplies the delay by this. */
export const RESPAWN_FACTOR = 2;
/** The delay never grows past this. */
export const RESPAWN_MAX_MS = 15_000;
/** A worker that served this long before exiting was healthy: its slot starts over at the base delay. */
export const HEALTHY_UPTIME_MS = 30_000;
/** This many unexpected exits (all slots together) within CRASH_LOOP_WINDOW_MS: the primary gives up. */
export const CRASH_LOOP_EXITS = 10;
export const CRASH_LOOP_WINDOW_MS = 60_000;

export interface RespawnPolicy {
  baseMs: number;
  factor: number;
  maxMs: number;
  healthyUptimeMs: number;
  crashLoopExits: number;
  crashLoopWindowMs: number;
}

export const DEFAULT_RESPAWN_POLICY: RespawnPolicy = {
  baseMs: RESPAWN_BASE_MS,
  factor: RESPAWN_FACTOR,
  maxMs: RESPAWN_MAX_MS,
  healthyUptimeMs: HEALTHY_UPTIME_MS,
  crashLoopExits: CRASH_LOOP_EXITS,
  crashLoopWindowMs: CRASH_LOOP_WINDOW_MS,
};

/**
 * The defaults, with the delays overridable by LIFECYCLE_RESPAWN_BASE_MS and LIFECYCLE_RESPAWN_MAX_MS
 * (so a test reaches the crash-loop limit in seconds). The limit and its window are fixed.
 */
export function readRespawnPolicy(env: NodeJS.ProcessEnv): RespawnPolicy {
  const baseMs = intVar(env, 'LIFECYCLE_RESPAWN_BASE_MS', RESPAWN_BASE_MS, 1, 60_000, 'milliseconds from 1 to 60000');
  const maxMs = intVar(env, 'LIFECYCLE_RESPAWN_MAX_MS', Math.max(RESPAWN_MAX_MS, baseMs), baseMs, 600_000, `milliseconds from LIFECYCLE_RESPAWN_BASE_MS (${baseMs}) to 600000`);
  return { ...DEFAULT_RESPAWN_POLICY, baseMs, maxMs };
}
