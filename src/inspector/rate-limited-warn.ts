import { warn } from '../core/log.js';

/**
 * One warn line per kind of refusal (type, reason, host, origin) per window; the first one after
 * the window says how many were held back. A page hammering the relay cannot flood its terminal.
 */
export function rateLimitedWarn({ windowMs = 60_000, maxKeys = 1_000, print = warn } = {}) {
  const seen = new Map<string, { until: number; suppressed: number }>();
  return (type: string, fields: Record<string, unknown>) => {
    const key = [type, fields.reason, fields.host, fields.origin].join(' ');
    const now = Date.now();
    const entry = seen.get(key);
    if (entry && now < entry.until) {
      entry.suppressed++;
      return;
    }
    if (!entry && seen.size >= maxKeys) seen.delete(seen.keys().next().value!);
    print(type, { ...fields, ...(entry?.suppressed ? { suppressed: entry.suppressed } : {}) });
    seen.set(key, { until: now + windowMs, suppressed: 0 });
  };
}
