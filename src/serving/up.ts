import { describeError, info, warn } from '../core/log.js';
import type { LoadedConfig, Runner, WorkerDecision } from '../core/types.js';

/**
 * Once per boot, when the service first answers: the mode decision, the routes, and the optional
 * POST that tells the platform this replica is up. A failed POST is logged, never fatal.
 */
export async function announce(config: LoadedConfig, decision: WorkerDecision, runner: Runner) {
  const base = `http://127.0.0.1:${runner.port}`;
  info('up', { mode: decision.mode, workers: decision.workers, port: runner.port, url: base });
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
    const res = await fetch(upUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ statusTrack: true }),
      signal: AbortSignal.timeout(5_000),
    });
    await res.arrayBuffer();
    if (res.ok) info('up-notified', { url: upUrl, status: res.status });
    else warn('up-notify-failed', { url: upUrl, status: res.status });
  } catch (err) {
    // fetch's own message is "fetch failed"; the reason (ECONNREFUSED, …) is its cause.
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message;
    warn('up-notify-failed', { url: upUrl, error: reason ? `${(err as Error).message} (${reason})` : (err as Error).message });
  }
}
