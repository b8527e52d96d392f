import { createLogOnce } from '../core/log.js';
import { logStatusLine, type ServerStats } from './status.js';

/**
 * How a serving process reaches "the rest of the service": log-once and status-track. In
 * single-process mode that is this process itself; a cluster worker goes through the primary.
 */
export interface Channel {
  logOnce(message: string): void;
  statusTrack(): void;
}

export function directChannel(stats: () => ServerStats): Channel {
  const logOnce = createLogOnce();
  return {
    logOnce: (message) => void logOnce(message),
    statusTrack: () => logStatusLine('single', stats()),
  };
}
