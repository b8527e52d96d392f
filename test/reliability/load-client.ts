/**
 * A bounded load client for the SIGTERM-under-load trials: keep-alive clients (one socket each,
 * reused) and new-connection clients, all to 127.0.0.1, each outcome classified. A client stops
 * when its connection is refused (the listener is closed), at its request cap, or at the time cap.
 */
import http from 'node:http';
import { BODY_END } from '../helpers/fixture.js';

export type Outcome = 'ok' | 'refused' | 'reset' | 'truncated' | 'serverError' | 'otherStatus' | 'timeout';

export interface LoadFigures {
  sent: number;
  ok: number;
  refused: number;
  reset: number;
  truncated: number;
  serverError: number;
  otherStatus: number;
  timeout: number;
  /** TCP connections the clients saw established. */
  connected: number;
  /** `reset`, split: a keep-alive socket reset under a reused request… */
  resetReused: number;
  /** …a new connection reset after its handshake, before any response byte… */
  resetFresh: number;
  /** …and a connection reset before the client saw its handshake complete. */
  resetHandshake: number;
  /** Responses to keep-alive clients that carried `Connection: close` (the drain telling them to stop reusing). */
  keepAliveClosed: number;
  /** A few descriptions of what went wrong, for the failure message. */
  failures: string[];
}

export const emptyFigures = (): LoadFigures => ({
  sent: 0, connected: 0, resetReused: 0, resetFresh: 0, resetHandshake: 0, ok: 0, refused: 0, reset: 0, truncated: 0, serverError: 0, otherStatus: 0, timeout: 0, keepAliveClosed: 0, failures: [],
});

/** Every request that did not end in a complete 200 or a refused connection. */
export const failed = (f: LoadFigures) => f.reset + f.truncated + f.serverError + f.otherStatus + f.timeout;

/**
 * Closing a listening socket makes the kernel reset the connections still in its accept queue:
 * the process never accepted them (nor read their request). Those are told apart by count: the
 * connections the server reports it accepted must all be among the client's connections that did
 * not end in a reset before any response. Returns the failures left once they are set aside.
 */
export function lostAccepted(f: LoadFigures, serverAccepted: number) {
  const opened = f.connected + f.resetHandshake;
  const neverAccepted = Math.max(0, opened - serverAccepted);
  const resetUnaccepted = Math.min(f.resetFresh + f.resetHandshake, neverAccepted);
  return failed(f) - resetUnaccepted;
}

export function addFigures(into: LoadFigures, from: LoadFigures) {
  for (const key of Object.keys(emptyFigures()) as Array<keyof LoadFigures>) {
    if (key === 'failures') into.failures.push(...from.failures.slice(0, 10 - into.failures.length));
    else into[key] += from[key];
  }
}


/** How a complete response is judged: the `/work` route's check by default. */
export type Judge = (status: number, body: string, contentLength: number) => { outcome: Outcome; detail?: string };

export const judgeWork: Judge = (status, body, length) => {
  if (status >= 500) return { outcome: 'serverError', detail: `${status} ${body.slice(0, 80)}` };
  if (status !== 200) return { outcome: 'otherStatus', detail: `${status}` };
  if (!body.endsWith(BODY_END) || Buffer.byteLength(body) !== length) {
    return { outcome: 'truncated', detail: `${Buffer.byteLength(body)} of ${length} bytes` };
  }
  return { outcome: 'ok' };
};

export interface Result {
  outcome: Outcome;
  close: boolean;
  detail?: string;
  status?: number;
  resetKind?: 'resetReused' | 'resetFresh' | 'resetHandshake';
}

/** One request to 127.0.0.1, every way it can end classified (it never rejects). */
export function probe(port: number, path: string, agent: http.Agent | false, onConnect: () => void, judge: Judge = judgeWork): Promise<Result> {
  return new Promise((resolve) => {
    let connected = false;
    let settled = false;
    let responded = false;
    const settle = (r: Result) => {
      if (!settled) resolve(r);
      settled = true;
    };
    const req = http.request({ host: '127.0.0.1', port, path, agent }, (res) => {
      responded = true;
      const close = res.headers.connection === 'close';
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        settle({ ...judge(res.statusCode!, body, Number(res.headers['content-length'])), close, status: res.statusCode! });
      });
      res.on('close', () => settle({ outcome: 'truncated', close, detail: 'response closed before its end' }));
    });
    req.on('socket', (socket) => {
      if (req.reusedSocket) return;
      socket.once('connect', () => {
        connected = true;
        onConnect();
      });
    });
    req.setTimeout(10_000, () => req.destroy(Object.assign(new Error('no response in 10 s'), { code: 'TIMEOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (responded) return settle({ outcome: 'truncated', close: false, detail: `${err.code} mid-response` });
      if (err.code === 'ECONNREFUSED') return settle({ outcome: 'refused', close: false });
      if (err.code === 'TIMEOUT') return settle({ outcome: 'timeout', close: false, detail: err.message });
      const resetKind = req.reusedSocket ? 'resetReused' : connected ? 'resetFresh' : 'resetHandshake';
      settle({ outcome: 'reset', close: false, detail: `${err.code ?? err.message} (${resetKind})`, resetKind });
    });
    req.end();
  });
}

export function recordResult(figures: LoadFigures, r: Result, keepAlive: boolean) {
  figures.sent++;
  figures[r.outcome]++;
  if (keepAlive && r.close) figures.keepAliveClosed++;
  if (r.resetKind) figures[r.resetKind]++;
  if (r.outcome !== 'ok' && r.outcome !== 'refused' && figures.failures.length < 10) figures.failures.push(`${r.outcome}: ${r.detail}`);
}

export interface LoadOptions {
  keepAliveClients: number;
  newConnectionClients: number;
  path: string;
  /** Per client. */
  maxRequests: number;
  /** The whole run stops sending after this long. */
  maxMs: number;
}

/** Starts the clients; `done` resolves when every client stopped. */
export function startLoad(port: number, opts: LoadOptions) {
  const figures = emptyFigures();
  const until = performance.now() + opts.maxMs;
  const client = async (agent: http.Agent | false) => {
    for (let i = 0; i < opts.maxRequests && performance.now() < until; i++) {
      const r = await probe(port, opts.path, agent, () => figures.connected++);
      recordResult(figures, r, agent !== false);
      if (r.outcome === 'refused') break;
    }
    if (agent) agent.destroy();
  };
  const clients: Promise<void>[] = [];
  for (let i = 0; i < opts.keepAliveClients; i++) clients.push(client(new http.Agent({ keepAlive: true, maxSockets: 1 })));
  for (let i = 0; i < opts.newConnectionClients; i++) clients.push(client(false));
  return { figures, done: Promise.all(clients).then(() => figures) };
}
