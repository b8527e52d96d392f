import net from 'node:net';
import tls from 'node:tls';
import type { StatelyInspectionEvent } from '@statelyai/inspect';
import WebSocket from 'ws';
import { warn } from '../core/log.js';
import { MAX_PUBLISHER_MESSAGE } from './publisher-messages.js';
import { withToken } from './token-file.js';
import { redactToken } from './url.js';

const RETRY_MS = 1_000;
const MAX_QUEUED = 500;

export interface SocketOptions {
  /** `main` or `worker`: the root actor is named `lifecycle (<label> <pid>)`. */
  label: string;
  /** The first message on every connection: who this process is. */
  hello: () => string;
  /** Say once when the inspector cannot be reached (a cluster's workers leave that to their primary). */
  warnUnreachable: boolean;
}

/**
 * Sends Stately inspection events over a WebSocket, built so that the inspector can never hold
 * the process: the socket and the retry timer are unref'd, a dead URL is retried quietly (once a
 * second, forever, until `stop()`) after one warning, and events wait in a bounded queue until a
 * receiver listens. Session ids get this process's pid as prefix: in cluster mode the primary and
 * every worker number their actors from x:0, and the inspector must tell them apart.
 */
export class InspectorSocket {
  private ws?: WebSocket;
  private retry?: NodeJS.Timeout;
  private stopped = true;
  private readonly queue: string[] = [];
  /** The root actor's registration and latest snapshot, sent again to a relay that restarted. */
  private rootActor?: string;
  private rootSnapshot?: string;
  private everConnected = false;
  private warned = false;

  constructor(
    private readonly url: string,
    private readonly options: SocketOptions,
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
    if (event.type === '@xstate.actor' && !event.parentId) this.rootActor = text;
    if (event.type === '@xstate.snapshot' && event.sessionId === event.rootId) this.rootSnapshot = text;
    this.sendText(text);
  }

  /** A message of our own protocol (a worker report). */
  sendText(text: string) {
    if (text.length > MAX_PUBLISHER_MESSAGE) return; // the relay would close us for it
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
    // Read at every attempt: `inspect` may start (and write its token file) after this process.
    const ws = new WebSocket(withToken(this.url), {
      createConnection: ((options: net.NetConnectOpts & tls.ConnectionOptions) => {
        const socket = secure ? tls.connect(options) : net.createConnection(options);
        socket.unref();
        return socket;
      }) as unknown as typeof net.createConnection,
      handshakeTimeout: 5_000,
    });
    this.ws = ws;
    ws.on('open', () => {
      this.warned = false;
      ws.send(this.options.hello());
      // A relay that restarted knows nothing of us: where we are first, then what it missed.
      if (this.everConnected) for (const text of [this.rootActor, this.rootSnapshot]) if (text && !this.queue.includes(text)) ws.send(text);
      this.everConnected = true;
      for (const text of this.queue.splice(0)) ws.send(text);
    });
    ws.on('error', (err) => this.warnOnce(err)); // 'close' follows
    ws.on('close', () => {
      if (this.ws === ws) this.ws = undefined;
      if (!this.stopped) this.retry = setTimeout(() => this.open(), RETRY_MS).unref();
    });
  }

  /** One line per outage, with the fix; the retries after it are quiet. */
  private warnOnce(err: Error) {
    if (this.warned || !this.options.warnUnreachable) return;
    this.warned = true;
    const status = /Unexpected server response: (\d+)/.exec(err.message)?.[1];
    const why = status
      ? { status: Number(status), fix: 'use the URL `service-lifecycle inspect` printed (its connect line), or run both as the same user so the token file is found' }
      : { error: (err as NodeJS.ErrnoException).code ?? err.message, fix: `start it: service-lifecycle inspect --port ${new URL(this.url).port || 80}` };
    warn('inspector-unreachable', { url: redactToken(this.url), ...why, note: 'the service runs on; it connects by itself once it can (retried every second)' });
  }

  private serialize(event: StatelyInspectionEvent): string | undefined {
    const ids = event as unknown as Record<string, unknown>;
    const scoped = { ...event } as Record<string, unknown>;
    for (const key of ['sessionId', 'rootId', 'parentId', 'sourceId']) {
      if (typeof ids[key] === 'string') scoped[key] = `${process.pid}:${ids[key]}`;
    }
    if (event.type === '@xstate.actor' && !event.parentId) scoped.name = `${event.name} (${this.options.label} ${process.pid})`;
    try {
      // The environment reaches actors as input and context; secrets live there, so it never leaves.
      return JSON.stringify(scoped, (key, value) => (key === 'env' && value && typeof value === 'object' ? '[environment not sent]' : value));
    } catch {
      return undefined;
    }
  }
}
