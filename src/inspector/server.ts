/**
 * The relay `service-lifecycle inspect` runs, on loopback:
 *   HTTP GET /                 the live page (every asset it needs is served from here)
 *        GET /page/*.js|css    its scripts and style
 *        GET /assets/mermaid.js  Mermaid's browser build
 *        GET /stately          the bridge to the hosted Stately inspector (needs the internet)
 *   WS   /?token=T             publishers: our own processes (no Origin, the relay's token)
 *        /live                 viewers of the live model (the page)
 *        /raw                  viewers of the raw inspection events (the Stately bridge)
 * Every request and upgrade needs a loopback Host with this port (else 421); an upgrade from a
 * browser needs this page's Origin (else 403). A bad message closes that client, never the relay.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { pageAssets } from './assets.js';
import { LiveModel, type Publisher } from './live-model.js';
import type { LiveDelta, LiveDiagram } from './page/live-types.js';
import type { ProcessHello, WorkerExitReport, WorkerForkReport } from './publisher-messages.js';
import { rateLimitedWarn } from './rate-limited-warn.js';
import { MAX_PUBLISHER_MESSAGE, MAX_VIEWER_MESSAGE, validate } from './schema.js';
import { checkHost, checkOrigin, pageHeaders, refuseUpgrade, tokenMatches } from './security.js';
import { LiveViewers, RawViewers } from './viewers.js';

const MAX_PUBLISHERS = 512;
const MAX_VIEWERS = 64;

export interface RelayOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  /** What a publisher must present as `?token=`. */
  token: string;
  diagram: LiveDiagram;
  /** Every change of the live model (`inspect` prints its log entries). */
  onDelta?: (delta: LiveDelta) => void;
}

export interface InspectorServer {
  port: number;
  close(): Promise<void>;
}

export function startInspectorServer(options: RelayOptions): Promise<InspectorServer> {
  const warn = rateLimitedWarn();
  const assets = pageAssets();
  let port = options.port;
  const dropped = () => warn('inspector-viewer-dropped', { reason: 'too far behind' });
  const live = new LiveViewers(dropped);
  const raw = new RawViewers(dropped);
  const model = new LiveModel((delta) => {
    live.push(delta);
    options.onDelta?.(delta);
  });

  const http = createServer((req, res) => serve(req, res));
  // A client that never finishes its headers must not hold a socket for long.
  http.headersTimeout = 10_000;
  http.requestTimeout = 10_000;
  const publishers = new WebSocketServer({ noServer: true, maxPayload: MAX_PUBLISHER_MESSAGE, perMessageDeflate: false });
  const viewers = new WebSocketServer({ noServer: true, maxPayload: MAX_VIEWER_MESSAGE, perMessageDeflate: false });

  function serve(req: IncomingMessage, res: ServerResponse) {
    const host = checkHost(req, port);
    if (!host) {
      warn('inspector-refused', { reason: 'host not allowed', host: String(req.headers.host ?? '').slice(0, 200), path: req.url?.slice(0, 100) });
      res.writeHead(421, { 'content-type': 'text/plain' }).end('This inspector answers to 127.0.0.1, localhost and [::1] with its own port only.\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const path = (req.url ?? '/').split('?')[0]!;
    const asset = assets(path, /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')));
    if (!asset) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, {
      ...pageHeaders(host, { stately: path === '/stately' }),
      'content-type': asset.type,
      ...(asset.gzipped ? { 'content-encoding': 'gzip' } : {}),
      vary: 'accept-encoding',
    });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  }

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    const host = checkHost(req, port);
    if (!host) {
      warn('inspector-refused', { reason: 'host not allowed', host: String(req.headers.host ?? '').slice(0, 200), path: req.url?.slice(0, 100) });
      return refuseUpgrade(socket, 421, 'host not allowed');
    }
    const origin = checkOrigin(req, host);
    if (!origin.ok) {
      warn('inspector-refused', { reason: 'origin not allowed', host, origin: origin.browser ? origin.origin.slice(0, 200) : undefined });
      return refuseUpgrade(socket, 403, 'origin not allowed');
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (url.pathname === '/') {
      if (origin.browser) {
        warn('inspector-refused', { reason: 'a browser may not publish', host, origin: origin.origin });
        return refuseUpgrade(socket, 403, 'browsers may only view: connect to /live');
      }
      if (!tokenMatches(url.searchParams.get('token'), options.token)) {
        const reason = url.searchParams.has('token') ? 'wrong token' : 'no token';
        warn('inspector-refused', { reason, host, fix: 'connect with the URL `service-lifecycle inspect` printed, or as the same user (the token file)' });
        return refuseUpgrade(socket, 401, `${reason}: use the URL service-lifecycle inspect printed`);
      }
      if (publishers.clients.size >= MAX_PUBLISHERS) return refuseUpgrade(socket, 503, 'too many publishers');
      return publishers.handleUpgrade(req, socket, head, onPublisher);
    }
    if (url.pathname === '/live' || url.pathname === '/raw') {
      if (viewers.clients.size >= MAX_VIEWERS) return refuseUpgrade(socket, 503, 'too many viewers');
      return viewers.handleUpgrade(req, socket, head, (ws) => onViewer(ws, url.pathname));
    }
    refuseUpgrade(socket, 404, 'no such endpoint: / (publishers), /live or /raw (viewers)');
  });

  /** Closes one client for what it sent; the relay and every other client go on. */
  function closeClient(ws: WebSocket, code: number, reason: string, fields: Record<string, unknown> = {}) {
    warn('inspector-client-closed', { reason, code, ...fields });
    ws.close(code, reason.slice(0, 120));
    setTimeout(() => ws.terminate(), 1_000).unref();
  }

  function onPublisher(ws: WebSocket) {
    const conn: Publisher = {};
    // ws closes an oversized frame with 1009 and reports it here.
    ws.on('error', (err) => warn('inspector-client-closed', { reason: err.message, clientPid: conn.pid }));
    ws.on('close', () => model.closed(conn));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (ws.readyState !== WebSocket.OPEN) return; // closed for an earlier message
      if (isBinary) return closeClient(ws, 1003, 'binary message', { clientPid: conn.pid });
      const text = data.toString();
      let msg: { type: string };
      try {
        msg = JSON.parse(text);
      } catch {
        return closeClient(ws, 1007, 'not JSON', { clientPid: conn.pid });
      }
      const problem = validate(msg, conn.pid);
      if (problem) return closeClient(ws, 1008, problem, { clientPid: conn.pid });
      if (msg.type === '@lifecycle.process') return model.hello(conn, msg as ProcessHello);
      if (msg.type === '@lifecycle.worker-fork') return model.forked(conn, msg as WorkerForkReport);
      if (msg.type === '@lifecycle.worker-exit') return model.workerExited(conn, msg as WorkerExitReport);
      model.inspection(conn, msg as Parameters<LiveModel['inspection']>[1]);
      raw.push(text);
    });
  }

  function onViewer(ws: WebSocket, path: string) {
    ws.on('error', () => {});
    ws.on('message', () => closeClient(ws, 1008, 'viewers are read-only'));
    if (path === '/raw') return raw.add(ws);
    live.add(ws, { type: 'hello', relay: { pid: process.pid }, diagram: options.diagram, ...model.snapshot() });
  }

  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => {
      port = (http.address() as AddressInfo).port;
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            live.close();
            for (const client of [...publishers.clients, ...viewers.clients]) client.terminate();
            http.close(() => done());
            http.closeAllConnections();
          }),
      });
    });
  });
}
