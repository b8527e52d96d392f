/** A real WebSocket receiver on 127.0.0.1 that records what inspectors send it. */
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { freePort } from '../../support/ports.js';

export type Received = Record<string, unknown> & {
  type: string;
  sessionId: string;
  rootId?: string;
  parentId?: string;
  name?: string;
  snapshot?: { value?: unknown };
  event?: { type?: string };
};

export async function startReceiver() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  const raw: string[] = [];
  wss.on('connection', (socket) => socket.on('message', (data) => raw.push(data.toString())));
  const messages = () => raw.map((text) => JSON.parse(text) as Received);
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    raw,
    messages,
    /** Names of the root lifecycle actors that registered, e.g. `lifecycle (worker 1234)`. */
    roots: () => messages().filter((m) => m.type === '@xstate.actor' && !m.parentId && String(m.name).startsWith('lifecycle')),
    /** State values, in order, of the root actor with this session id. */
    statesOf: (sessionId: string) =>
      messages()
        .filter((m) => m.type === '@xstate.snapshot' && m.sessionId === sessionId && m.snapshot?.value !== undefined)
        .map((m) => m.snapshot!.value),
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

/** A loopback URL where nothing listens: a port that was free a moment ago. */
export async function deadInspectorUrl(): Promise<string> {
  return `ws://127.0.0.1:${await freePort()}`;
}
