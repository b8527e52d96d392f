import type { IncomingMessage, ServerResponse } from 'node:http';
import { info } from '../core/log.js';
import type { RequestListener } from '../core/types.js';

/**
 * LIFECYCLE_ACCESS_LOG=1: one `access` line per response (method, path, status, duration), when it
 * has been sent (or the connection closed first). Off by default: it costs a listener per request.
 */
export function withAccessLog(listener: RequestListener): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    res.once('close', () =>
      info('access', {
        method: req.method,
        path: req.url,
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
        ...(res.writableFinished ? {} : { aborted: true }),
      }),
    );
    listener(req, res);
  };
}
