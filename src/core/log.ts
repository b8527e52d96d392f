/**
 * Every line this library writes is one JSON object: stdout for info, stderr for warnings and
 * errors. Log collectors parse it without a format of ours to learn.
 */
export type Level = 'info' | 'warn' | 'error';

export function log(level: Level, type: string, fields: Record<string, unknown> = {}) {
  const line = JSON.stringify({ level, type, ...fields, pid: process.pid, t: Date.now() }) + '\n';
  (level === 'info' ? process.stdout : process.stderr).write(line);
}

export const info = (type: string, fields?: Record<string, unknown>) => log('info', type, fields);
export const warn = (type: string, fields?: Record<string, unknown>) => log('warn', type, fields);
export const error = (type: string, fields?: Record<string, unknown>) => log('error', type, fields);

export function describeError(err: unknown): { error: string; stack?: string } {
  if (err instanceof Error) return { error: `${err.name}: ${err.message}`, stack: err.stack };
  return { error: String(err) };
}

/** Prints each distinct message once per process (the cluster primary dedups across workers). */
export function createLogOnce(print: (message: string) => void = (message) => info('log-once', { message })) {
  const seen = new Set<string>();
  return (message: string) => {
    if (seen.has(message)) return false;
    seen.add(message);
    print(message);
    return true;
  };
}
