import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import net, { type Socket } from 'node:net';
import { Deadline } from '../core/signals.js';
import type { DrainOptions } from '../core/types.js';
import { shrinkAcceptQueue, type ListenHandle } from './accept-queue.js';

/** Where a load balancer or kubelet asks whether to send traffic. */
export const DEFAULT_HEALTH_PATH = '/healthcheck';

const DRAINING = JSON.stringify({ status: 'draining' });

/** A GET or HEAD of `path`, query ignored (as Koa's `ctx.path` compares it). */
export function isReadinessProbe(req: IncomingMessage, path: string): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const url = req.url ?? '';
  const query = url.indexOf('?');
  return (query < 0 ? url : url.slice(0, query)) === path;
}

/** 503 `{"status":"draining"}`: the readiness flip, answered before the app sees the request. */
export function answerDraining(req: IncomingMessage, res: ServerResponse) {
  res.writeHead(503, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(DRAINING),
    'Cache-Control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : DRAINING);
}

/**
 * When the listener closes, an idle socket may already have its next request on the wire (a
 * keep-alive client reusing it, or a connection accepted just before the close): it gets a grace to
 * send it, answered with `Connection: close`. A socket that carried a request is closed IDLE_GRACE_MS
 * after its last request began (at once if that is longer ago); one that has not sent
 * a request yet gets NEW_CONNECTION_GRACE_MS after it was accepted. What is left is destroyed at the
 * drain deadline.
 */
export const IDLE_GRACE_MS = 250;
export const NEW_CONNECTION_GRACE_MS = 1_000;

/**
 * Longest the listener stays open after the drain decided to close it, while queued connections are
 * accepted (Node accepts one per event-loop turn) and new ones keep arriving.
 */
export const ACCEPT_QUEUE_FLUSH_MS = 500;

/** A classic cluster worker's quiet window before it closes its listener (see HttpDrain's `quietMs`). */
export const WORKER_HANDOFF_QUIET_MS = 50;

interface SocketState {
  /** Requests received on the socket. */
  requests: number;
  /** performance.now() of the connection or of its last request. */
  lastActive: number;
  idleTimer?: NodeJS.Timeout;
}

/** The response a socket is answering right now; Node clears it when that response is done. */
const currentResponse = (socket: Socket) => (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;

export interface HttpDrainOptions {
  /**
   * How long no new connection must arrive before the listener closes. 0 means one event-loop turn,
   * right where the kernel hands connections over (a process that owns its socket: single-process
   * mode, a reusePort cluster worker); a classic cluster worker gets its connections from the
   * primary's queue one IPC round-trip at a time, so it waits a little longer.
   */
  quietMs?: number;
  /** GET/HEAD of this path answers 503 once draining, before the app; `false` for none. */
  healthPath?: string | false;
}

/**
 * Tracks an HTTP server's sockets and in-flight responses, and drains it the way a load balancer
 * needs: readiness first, then stop accepting, `Connection: close` on everything still answered,
 * exit as soon as the last response is out, and force-close whatever remains at the deadline.
 * Single-process mode and every cluster worker use this one implementation, whatever app they serve.
 */
export class HttpDrain {
  private readonly sockets = new Map<Socket, SocketState>();
  private draining = false;
  private listenerClosed = false;
  private readonly deadline = new Deadline(() => this.forceClose());
  private delayTimer?: NodeJS.Timeout | NodeJS.Immediate;
  private readonly quietMs: number;
  private readonly healthPath: string | false;
  private finish?: () => void;
  private closed?: Promise<void>;
  private forced = 0;
  requestsServed = 0;
  connectionsAccepted = 0;

  constructor(
    private readonly server: Server,
    options: HttpDrainOptions = {},
  ) {
    this.quietMs = options.quietMs ?? 0;
    this.healthPath = options.healthPath ?? false;
    server.on('connection', (socket: Socket) => {
      const state: SocketState = { requests: 0, lastActive: performance.now() };
      this.connectionsAccepted++;
      this.sockets.set(socket, state);
      socket.once('close', () => {
        clearTimeout(state.idleTimer);
        this.sockets.delete(socket);
        this.maybeFinish();
      });
    });
  }

  /**
   * Wraps the app's request handler: counts, and while draining sets `Connection: close` before any
   * middleware runs and answers readiness probes itself. Kept to a counter and a timestamp: it runs
   * on every request.
   */
  handle(listener: (req: IncomingMessage, res: ServerResponse) => void) {
    return (req: IncomingMessage, res: ServerResponse) => {
      this.requestsServed++;
      const state = this.sockets.get(req.socket);
      if (state) {
        state.requests++;
        state.lastActive = performance.now();
      }
      if (this.draining) {
        res.setHeader('Connection', 'close');
        if (this.healthPath && isReadinessProbe(req, this.healthPath)) return answerDraining(req, res);
      }
      listener(req, res);
    };
  }

  get isDraining() {
    return this.draining;
  }

  get openConnections() {
    return this.sockets.size;
  }

  /** From now on readiness answers 503 and no response goes out keep-alive. */
  begin() {
    if (this.draining) return;
    this.draining = true;
    for (const [socket, state] of this.sockets) {
      const res = currentResponse(socket);
      if (!res) continue;
      if (!res.headersSent) res.setHeader('Connection', 'close');
      // Its headers went out keep-alive: close the socket once the response is done.
      else res.once('close', () => this.listenerClosed && this.closeWhenIdle(socket, state));
    }
  }

  /** Starts the drain (`begin()` first); resolves when every socket is closed, at the latest at the deadline. */
  drain({ deadlineMs, delayMs }: DrainOptions): Promise<void> {
    if (this.closed) return this.closed;
    this.begin();
    this.closed = new Promise<void>((resolve) => {
      this.finish = resolve;
    });
    this.deadline.set(deadlineMs);
    if (delayMs > 0 && delayMs < deadlineMs) this.delayTimer = setTimeout(() => this.closeListenerWhenQuiet(), delayMs);
    else this.closeListenerWhenQuiet();
    return this.closed;
  }

  /** Only ever brings the deadline closer; a shutdown delay still running ends now. */
  shortenDeadline(ms: number) {
    if (!this.draining) return;
    this.deadline.set(ms);
    if (this.cancelDelay()) this.closeListenerWhenQuiet();
  }

  /**
   * Closing a listening socket makes the kernel reset every connection still in its accept queue,
   * so first the queue stops growing (shrinkAcceptQueue), then the listener closes after the first
   * event-loop turn that accepted nothing (at most ACCEPT_QUEUE_FLUSH_MS): clients that already
   * connected get accepted and answered instead of reset.
   */
  private closeListenerWhenQuiet() {
    shrinkAcceptQueue((this.server as unknown as { _handle?: ListenHandle })._handle);
    const started = performance.now();
    // Called from an immediate, so the next immediate runs after one whole poll phase (accepts included).
    const check = () => {
      const seen = this.connectionsAccepted;
      const next = () => {
        if (this.connectionsAccepted === seen || performance.now() - started >= ACCEPT_QUEUE_FLUSH_MS) this.stopAccepting();
        else check();
      };
      this.delayTimer = this.quietMs > 0 ? setTimeout(next, this.quietMs) : setImmediate(next);
    };
    this.delayTimer = setImmediate(check);
  }

  /** Stops a pending shutdown delay or accept-queue flush; true if one was pending. */
  private cancelDelay() {
    if (!this.delayTimer) return false;
    clearTimeout(this.delayTimer as NodeJS.Timeout);
    clearImmediate(this.delayTimer as NodeJS.Immediate);
    this.delayTimer = undefined;
    return true;
  }

  private stopAccepting() {
    this.delayTimer = undefined;
    this.listenerClosed = true;
    // net's close, not http's: http.Server#close also destroys every idle socket at once, which
    // resets a client whose request is already on the wire; closeWhenIdle gives those a grace.
    net.Server.prototype.close.call(this.server, () => this.maybeFinish());
    for (const [socket, state] of this.sockets) this.closeWhenIdle(socket, state);
    this.maybeFinish();
  }

  private closeWhenIdle(socket: Socket, state: SocketState) {
    if (currentResponse(socket) || socket.destroyed) return;
    clearTimeout(state.idleTimer);
    const grace = state.requests === 0 ? NEW_CONNECTION_GRACE_MS : IDLE_GRACE_MS;
    const wait = state.lastActive + grace - performance.now();
    if (wait <= 0) socket.destroy();
    else state.idleTimer = setTimeout(() => this.closeWhenIdle(socket, state), wait);
  }

  /** What the drain did, for the `drained` log line. */
  figures() {
    return { connectionsAccepted: this.connectionsAccepted, requestsServed: this.requestsServed, forceClosed: this.forced };
  }

  private forceClose() {
    this.forced = this.sockets.size;
    // The deadline can fall within the shutdown delay or the accept-queue flush: close the listener now.
    if (this.cancelDelay()) this.stopAccepting();
    this.server.closeAllConnections();
    for (const socket of this.sockets.keys()) socket.destroy();
    this.sockets.clear();
    this.maybeFinish(true);
  }

  private maybeFinish(force = false) {
    if (!this.finish || this.delayTimer) return;
    if (!force && (this.server.listening || this.sockets.size > 0)) return;
    this.deadline.clear();
    const finish = this.finish;
    this.finish = undefined;
    finish();
  }
}
