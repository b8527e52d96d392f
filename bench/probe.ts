/** The client side of the measurements: the first 200, and one raw keep-alive socket (free ports: support/ports.ts). */
import { get } from 'node:http';
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export const HOST = '127.0.0.1';

function getStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = get({ host: HOST, port, path, agent: false, timeout: 2_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** Polls until GET path answers 200; resolves with performance.now() at that answer. */
export async function waitFor200(port: number, path: string, timeoutMs: number, isDead: () => boolean): Promise<number> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    if (isDead()) throw new Error('the service exited before answering');
    try {
      if ((await getStatus(port, path)) === 200) return performance.now();
    } catch {
      // not listening yet
    }
    await sleep(2);
  }
  throw new Error(`no 200 from ${path} within ${timeoutMs} ms`);
}

export interface RawResponse {
  status: number;
  connection: string | undefined;
  body: string;
  at: number;
}

/** One HTTP/1.1 keep-alive connection, driven by hand so the benchmark sees exactly when bytes arrive. */
export class KeepAliveSocket {
  private readonly socket: Socket;
  private buffer = Buffer.alloc(0);
  private pending?: { resolve: (r: RawResponse) => void; reject: (e: Error) => void };
  readonly connected: Promise<void>;
  closedAt?: number;

  constructor(port: number) {
    this.socket = connect({ host: HOST, port });
    this.connected = new Promise((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
    this.socket.on('error', (err) => this.pending?.reject(err));
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('close', () => {
      this.closedAt = performance.now();
      this.pending?.reject(new Error('socket closed before the response'));
    });
  }

  /** Sends GET path and resolves when the whole response (headers + Content-Length body) is in. */
  request(path: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<RawResponse> {
    return new Promise<RawResponse>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no response to ${path} within ${timeoutMs} ms`)), timeoutMs);
      this.pending = {
        resolve: (r) => (clearTimeout(timer), resolve(r)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
      const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
      this.socket.write(`GET ${path} HTTP/1.1\r\nHost: ${HOST}\r\nConnection: keep-alive\r\n${extra}\r\n`);
    });
  }

  private onData(chunk: Buffer) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0 || !this.pending) return;
    const head = this.buffer.subarray(0, end).toString('latin1');
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    if (this.buffer.length < end + 4 + length) return;
    const body = this.buffer.subarray(end + 4, end + 4 + length).toString();
    this.buffer = this.buffer.subarray(end + 4 + length);
    const pending = this.pending;
    this.pending = undefined;
    pending.resolve({
      status: Number(head.split(' ')[1]),
      connection: /\r\nconnection:\s*([^\r]+)/i.exec(head)?.[1]?.toLowerCase(),
      body,
      at: performance.now(),
    });
  }

  destroy() {
    this.socket.destroy();
  }
}
