import type { RespawnPolicy } from './respawn-policy.js';

/**
 * The respawn delay of one worker slot: base, then ×factor for each consecutive crash, capped.
 * A worker that stayed up for the healthy uptime starts the sequence over.
 */
export class Backoff {
  private crashes = 0;

  constructor(private readonly policy: Pick<RespawnPolicy, 'baseMs' | 'factor' | 'maxMs' | 'healthyUptimeMs'>) {}

  /** The delay before re-forking, after a worker that had been serving for `uptimeMs` exited. */
  next(uptimeMs: number): number {
    if (uptimeMs >= this.policy.healthyUptimeMs) this.crashes = 0;
    const { baseMs, factor, maxMs } = this.policy;
    const delay = Math.min(maxMs, baseMs * factor ** this.crashes);
    if (delay < maxMs) this.crashes++;
    return delay;
  }
}
