/**
 * Who may talk to the relay (issue 17):
 * - Host: a loopback name with the relay's own port, on every request and upgrade. A page on
 *   another site that rebinds its DNS name to 127.0.0.1 still sends its own name.
 * - Origin: browsers send one on every WebSocket upgrade; only the relay's own page is let in.
 *   No Origin (our processes, a Node client) is fine.
 * - Publishing: only with the relay's token and without an Origin; everyone else reads only.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** The Host values the relay answers to. */
export const loopbackHosts = (port: number) => [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];

/** The Host header, lower-cased, when it is one of ours; else undefined. */
export function checkHost(req: IncomingMessage, port: number): string | undefined {
  const host = String(req.headers.host ?? '').toLowerCase();
  return loopbackHosts(port).includes(host) ? host : undefined;
}

export type OriginCheck = { ok: true; browser: false } | { ok: boolean; browser: true; origin: string };

/** No Origin: not a browser. With one, it must be the page this very Host serves. */
export function checkOrigin(req: IncomingMessage, host: string): OriginCheck {
  const origin = req.headers.origin;
  if (origin === undefined) return { ok: true, browser: false };
  return { ok: origin.toLowerCase() === `http://${host}`, browser: true, origin };
}

/** 24 random bytes, 32 URL-safe characters. */
export const newToken = () => randomBytes(24).toString('base64url');

export function tokenMatches(given: string | null, token: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

const STATUS_TEXT: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 421: 'Misdirected Request', 503: 'Service Unavailable' };

/** Answers an upgrade request we refuse with a status line a client can read, then closes it. */
export function refuseUpgrade(socket: Duplex, status: number, reason: string) {
  const text = `${reason}\n`;
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
}

/** Headers of every page and asset: scripts and sockets from this origin only, never framed elsewhere. */
export function pageHeaders(host: string, { stately = false } = {}): Record<string, string> {
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    // Mermaid writes a <style> into each SVG it renders, and inline style attributes.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src ws://${host}`,
    stately ? 'frame-src https://stately.ai' : "frame-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': 'no-store',
  };
}
