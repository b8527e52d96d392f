import type { IncomingMessage, ServerResponse } from 'node:http';

/** Where a load balancer or kubelet asks whether to send traffic. */
export const DEFAULT_HEALTH_PATH = '/healthcheck';

const DRAINING = JSON.stringify({ status: 'draining' });

/** A GET or HEAD of `path`, query ignored (as Koa's `ctx.path` compares it). */
export function isReadinessProbe(req: IncomingMessage, path: string): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const url = req.url ?? '';
  const query = url.indexOf('?');
  return (query < 0 ? url : url.slice(0, query)) === path;
}

/** 503 `{"status":"draining"}`: the readiness flip, answered before the app sees the request. */
export function answerDraining(req: IncomingMessage, res: ServerResponse) {
  res.writeHead(503, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(DRAINING),
    'Cache-Control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : DRAINING);
}
