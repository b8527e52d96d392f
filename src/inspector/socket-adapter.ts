import net from 'node:net';
import tls from 'node:tls';
import type { StatelyInspectionEvent } from '@statelyai/inspect';
import WebSocket from 'ws';

const RETRY_MS = 1_000;
const MAX_QUEUED = 500;

/**
 * Sends Stately inspection events over a WebSocket, built so that the inspector can never hold
 * the process: the socket and the retry timer are unref'd, a dead URL is retried quietly (once a
 * second, forever, until `stop()`), and events wait in a bounded queue until a receiver listens.
 * Session ids get this process's pid as prefix: in cluster mode the primary and every worker
 * number their actors from x:0, and the inspector must tell them apart.
 */
export class InspectorSocket {
  private ws?: WebSocket;
  private retry?: NodeJS.Timeout;
  private stopped = true;
  private readonly queue: string[] = [];

  constructor(
    private readonly url: string,
    private readonly label: string,
  ) {}

  start() {
    this.stopped = false;
    this.open();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retry);
    this.ws?.terminate();
  }

  send(event: StatelyInspectionEvent) {
    const text = this.serialize(event);
    if (text === undefined) return;
    if (this.ws?.readyState === WebSocket.OPEN) return this.ws.send(text);
    this.queue.push(text);
    if (this.queue.length > MAX_QUEUED) this.queue.shift();
  }

  /** Resolves once what was sent so far has left this process, or at once if nothing listens. */
  async flush() {
    // The inspector converts events on a 0 ms timer; let those run first.
    await new Promise((resolve) => setTimeout(resolve, 1));
    const ws = this.ws;
    if (ws?.readyState === WebSocket.CONNECTING) {
      await new Promise((resolve) => {
        ws.once('open', resolve);
        ws.once('close', resolve);
      });
    }
    while (ws?.readyState === WebSocket.OPEN && ws.bufferedAmount > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  private open() {
    const secure = this.url.startsWith('wss:');
    const ws = new WebSocket(this.url, {
      createConnection: ((options: net.NetConnectOpts & tls.ConnectionOptions) => {
        const socket = secure ? tls.connect(options) : net.createConnection(options);
        socket.unref();
        return socket;
      }) as unknown as typeof net.createConnection,
      handshakeTimeout: 5_000,
    });
    this.ws = ws;
    ws.on('open', () => {
      for (const text of this.queue.splice(0)) ws.send(text);
    });
    ws.on('error', () => {}); // 'close' follows; a dead inspector is not the service's problem
    ws.on('close', () => {
      if (this.ws === ws) this.ws = undefined;
      if (!this.stopped) this.retry = setTimeout(() => this.open(), RETRY_MS).unref();
    });
  }

  private serialize(event: StatelyInspectionEvent): string | undefined {
    const ids = event as unknown as Record<string, unknown>;
    const scoped = { ...event } as Record<string, unknown>;
    for (const key of ['sessionId', 'rootId', 'parentId', 'sourceId']) {
      if (typeof ids[key] === 'string') scoped[key] = `${process.pid}:${ids[key]}`;
    }
    if (event.type === '@xstate.actor' && !event.parentId) scoped.name = `${event.name} (${this.label} ${process.pid})`;
    try {
      // The environment reaches actors as input and context; secrets live there, so it never leaves.
      return JSON.stringify(scoped, (key, value) => (key === 'env' && value && typeof value === 'object' ? '[environment not sent]' : value));
    } catch {
      return undefined;
    }
  }
}
