import { usageError } from '../core/errors.js';

/** The port `service-lifecycle inspect` listens on, and where `--inspect-lifecycle` connects by default. */
export const DEFAULT_INSPECTOR_PORT = 8080;
export const DEFAULT_INSPECTOR_URL = `ws://127.0.0.1:${DEFAULT_INSPECTOR_PORT}`;

/** For log lines and errors: the URL with its token hidden. */
export const redactToken = (url: string) => url.replace(/([?&]token=)[^&#]*/g, '$1…');

/** `1`/`true` (or an empty flag value) mean the default URL; anything else must be a ws:// or wss:// URL. */
export function parseInspectorUrl(value: string, field: string): string {
  if (value === '' || value === '1' || value === 'true') return DEFAULT_INSPECTOR_URL;
  const shown = JSON.stringify(redactToken(value));
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw usageError(field, `${field}=${shown} is not a URL; use ws://127.0.0.1:PORT (see: service-lifecycle inspect)`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw usageError(field, `${field}=${shown} must be a ws:// or wss:// URL such as ${DEFAULT_INSPECTOR_URL}`);
  }
  return url.href;
}
