import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, WebSocket } from 'ws';
import { bridgePage } from './bridge-page.js';

/** Late viewers (a browser opened after the boot) get this many past events first. */
const REPLAY = 1_000;

export interface InspectorServer {
  port: number;
  close(): Promise<void>;
}

/**
 * The local end of `--inspect-lifecycle`: a WebSocket relay on loopback. Every message a client
 * sends (a service's inspection event) goes to every other client (the browser page at `/`, which
 * shows it in the Stately inspector). `onEvent` sees each event too.
 */
export function startInspectorServer(options: { host: string; port: number; onEvent?: (event: unknown) => void }): Promise<InspectorServer> {
  const http = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(bridgePage());
  });
  const wss = new WebSocketServer({ server: http });
  const past: string[] = [];
  wss.on('connection', (client) => {
    for (const text of past) client.send(text);
    client.on('message', (data) => {
      const text = data.toString();
      past.push(text);
      if (past.length > REPLAY) past.shift();
      for (const other of wss.clients) if (other !== client && other.readyState === WebSocket.OPEN) other.send(text);
      try {
        options.onEvent?.(JSON.parse(text));
      } catch {
        // not JSON: relayed, not shown
      }
    });
  });
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    wss.once('error', reject); // ws re-emits the server's listen error
    http.listen(options.port, options.host, () => {
      resolve({
        port: (http.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            for (const client of wss.clients) client.terminate();
            wss.close();
            http.close(() => done());
          }),
      });
    });
  });
}
