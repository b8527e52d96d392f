/**
 * HTTP/1.1 over a raw TCP socket, so a test controls exactly which socket a request reuses and
 * sees the server close it.
 */
import type net from 'node:net';

export interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: string;
  at: number;
}

/** Sends one GET on `socket` and resolves with the response (bodies with Content-Length only). */
export function rawGet(socket: net.Socket, path: string): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine, ...headerLines] = buffer.subarray(0, end).toString('latin1').split('\r\n');
      const headers = Object.fromEntries(headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const length = Number(headers['content-length'] ?? 0);
      if (buffer.length < end + 4 + length) return;
      cleanup();
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, body: buffer.subarray(end + 4, end + 4 + length).toString(), at: performance.now() });
    };
    const onClose = () => {
      cleanup();
      reject(new Error(`socket closed before the response to ${path} was complete (${buffer.length} bytes)`));
    };
    const cleanup = () => {
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onClose);
    };
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.once('error', onClose);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
  });
}

/** Resolves with performance.now() when the socket is closed (by either side). */
export const closedAt = (socket: net.Socket) =>
  new Promise<number>((resolve) => {
    socket.on('error', () => {});
    if (socket.destroyed) resolve(performance.now());
    else socket.once('close', () => resolve(performance.now()));
  });
