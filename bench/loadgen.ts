/** The load generator: wrk when installed (the baseline's tool), autocannon otherwise. */
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';

export interface LoadResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  close: boolean;
  /** CPUs to pin the generator to (taskset -c), or undefined to leave it free. */
  cpus?: string;
}

export type LoadGenerator = { name: string; run(options: LoadOptions): Promise<LoadResult> };

function run(command: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${command} exited ${code}: ${err.trim() || out.trim()}`));
    });
  });
}

const pinned = (cpus: string | undefined, command: string, args: string[]): [string, string[]] =>
  cpus === undefined ? [command, args] : ['taskset', ['-c', cpus, command, ...args]];

function wrkMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text.trim());
  if (!match) throw new Error(`wrk: cannot read latency "${text}"`);
  const factor = { us: 0.001, ms: 1, s: 1000 }[match[2] as 'us' | 'ms' | 's'];
  return Number(match[1]) * factor;
}

export function parseWrk(out: string): LoadResult {
  const num = (re: RegExp) => {
    const match = re.exec(out);
    if (!match) throw new Error(`wrk: no ${re} in output:\n${out}`);
    return match[1]!;
  };
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  return {
    rps: Number(num(/Requests\/sec:\s+([\d.]+)/)),
    p50Ms: wrkMs(num(/^\s+50%\s+(\S+)/m)),
    p99Ms: wrkMs(num(/^\s+99%\s+(\S+)/m)),
    requests: Number(num(/(\d+) requests in/)),
    // A read error is the server closing a `Connection: close` socket: wrk counts those, they are expected.
    errors: non2xx + (socketErrors ? Number(socketErrors[1]) + Number(socketErrors[3]) + Number(socketErrors[4]) : 0),
  };
}

const wrk: LoadGenerator = {
  name: 'wrk',
  async run({ url, connections, seconds, close, cpus }) {
    const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', ...(close ? ['-H', 'Connection: close'] : []), url];
    return parseWrk(await run(...pinned(cpus, 'wrk', args), (seconds + 30) * 1000));
  },
};

const autocannon: LoadGenerator = {
  name: 'autocannon',
  async run({ url, connections, seconds, close, cpus }) {
    const bin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
    const args = [bin, '-c', String(connections), '-d', String(seconds), '-j', ...(close ? ['-H', 'Connection=close'] : []), url];
    const result = JSON.parse(await run(...pinned(cpus, process.execPath, args), (seconds + 30) * 1000));
    return {
      rps: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      requests: result['2xx'],
      errors: result.errors + result.timeouts + result.non2xx,
    };
  },
};

/** wrk if it is on PATH (or forced with --loadgen), autocannon from devDependencies otherwise. */
export function pickLoadGenerator(forced?: string): LoadGenerator {
  if (forced === 'autocannon') return autocannon;
  if (forced === 'wrk') return wrk;
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return wrk;
  } catch (err) {
    // wrk --version exits 1 after printing its banner; only a missing binary throws ENOENT.
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? autocannon : wrk;
  }
}
