/**
 * Every line this library writes is one JSON object: stdout for info, stderr for warnings and
 * errors. Log collectors parse it without a format of ours to learn.
 */
export type Level = 'info' | 'warn' | 'error';

type Stream = NodeJS.WriteStream;
const watched = new WeakSet<Stream>();
const broken = new WeakSet<Stream>();

/**
 * Logging never stops the service. When the reader of stdout or stderr goes away (a pipe closed
 * under us: EPIPE; a closed terminal: EIO; a closed descriptor: EBADF) the write fails, and Node
 * reports it as an 'error' event that would crash the process. That stream is dropped instead; one
 * `log-stream-closed` warning goes to the other one, and the process serves, drains and exits as usual.
 */
function drop(stream: Stream, err: unknown) {
  if (broken.has(stream)) return;
  broken.add(stream);
  const name = stream === process.stdout ? 'stdout' : 'stderr';
  const other = stream === process.stdout ? process.stderr : process.stdout;
  const code = (err as NodeJS.ErrnoException)?.code ?? String(err);
  write(other, JSON.stringify({ level: 'warn', type: 'log-stream-closed', stream: name, error: code, note: 'its lines are dropped; still serving', pid: process.pid, t: Date.now() }) + '\n');
}

function write(stream: Stream, line: string) {
  if (broken.has(stream)) return;
  if (!watched.has(stream)) {
    watched.add(stream);
    stream.on('error', (err) => drop(stream, err));
  }
  try {
    stream.write(line);
  } catch (err) {
    drop(stream, err);
  }
}

export function log(level: Level, type: string, fields: Record<string, unknown> = {}) {
  write(level === 'info' ? process.stdout : process.stderr, JSON.stringify({ level, type, ...fields, pid: process.pid, t: Date.now() }) + '\n');
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
