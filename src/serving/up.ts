import { describeError, info, warn } from '../core/log.js';
import type { LoadedConfig, Runner, WorkerDecision } from '../core/types.js';

/**
 * Once per boot, when the service first answers: the mode decision, the routes, and the optional
 * POST that tells the platform this replica is up. A failed POST is logged, never fatal.
 */
export async function announce(config: LoadedConfig, decision: WorkerDecision, runner: Runner) {
  const base = `http://127.0.0.1:${runner.port}`;
  info('up', { mode: decision.mode, workers: decision.workers, workersFrom: decision.from, ...(decision.transport ? { transport: decision.transport } : {}), port: runner.port, url: base });
  const routes = Object.entries(config.serviceJson.routes ?? {}).map(([id, route]) => ({
    id,
    path: route.path,
    public: route.public ?? false,
  }));
  const builtins = config.builtins ?? [];
  const example = (routes[0]?.path ?? builtins[0] ?? '/').replace(/:(\w+)/g, '$1');
  info('routes', { routes, builtins, try: `curl ${base}${example}` });

  if (config.onUp && decision.mode !== 'worker') {
    try {
      await config.onUp({ config, mode: decision.mode, workers: decision.workers, port: runner.port });
    } catch (err) {
      warn('up-hook-failed', describeError(err));
    }
  }

  const upUrl = config.runtime.upUrl;
  if (!upUrl) return;
  try {
    const status = await postJson(upUrl, JSON.stringify({ statusTrack: true }), UP_TIMEOUT_MS);
    if (status >= 200 && status < 300) info('up-notified', { url: upUrl, status });
    else warn('up-notify-failed', { url: upUrl, status });
  } catch (err) {
    // e.g. "connect ECONNREFUSED 127.0.0.1:5000"
    warn('up-notify-failed', { url: upUrl, error: (err as Error).message });
  }
}

const UP_TIMEOUT_MS = 5_000;

/**
 * One POST with node:http(s), not fetch: the first fetch loads Node's bundled undici, ≈ 9 MiB of RSS
 * for one request per boot (an app on Koa 3 loads it anyway, one on the SDK's Koa 2 does not).
 */
async function postJson(url: string, body: string, timeoutMs: number): Promise<number> {
  const { request } = url.startsWith('https:') ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
