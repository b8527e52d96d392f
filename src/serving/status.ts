import { info } from '../core/log.js';
import type { Mode, ServerStats } from '../core/types.js';

/** One `metric/status` line describing this process. */
export function logStatusLine(mode: Mode, stats?: ServerStats) {
  const mem = process.memoryUsage();
  info('metric/status', {
    mode,
    rss: mem.rss,
    heapUsed: mem.heapUsed,
    heapTotal: mem.heapTotal,
    uptime: Math.round(process.uptime() * 1000) / 1000,
    openConnections: stats?.openConnections ?? 0,
    requestsServed: stats?.requestsServed ?? 0,
  });
}
