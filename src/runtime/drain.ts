import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { DrainOptions } from './runner.js';

/**
 * Tracks an HTTP server's sockets and in-flight responses, and drains it the way a load balancer
 * needs: readiness first, then stop accepting, `Connection: close` on everything still answered,
 * exit as soon as the last response is out, and force-close whatever remains at the deadline.
 * Single-process mode and every cluster worker use this one implementation.
 */
export class HttpDrain {
  private readonly inFlight = new Map<Socket, number>();
  private readonly responses = new Set<ServerResponse>();
  private draining = false;
  private deadlineTimer?: NodeJS.Timeout;
  private delayTimer?: NodeJS.Timeout;
  private deadlineAt = Infinity;
  private finish?: () => void;
  private closed?: Promise<void>;
  requestsServed = 0;

  constructor(private readonly server: Server) {
    server.on('connection', (socket: Socket) => {
      this.inFlight.set(socket, 0);
      socket.once('close', () => {
        this.inFlight.delete(socket);
        this.maybeFinish();
      });
    });
    // Registered before the app's handler so the header is set before any middleware runs.
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => this.track(req, res));
  }

  get isDraining() {
    return this.draining;
  }

  get openConnections() {
    return this.inFlight.size;
  }

  private track(req: IncomingMessage, res: ServerResponse) {
    const socket = req.socket;
    this.requestsServed++;
    this.inFlight.set(socket, (this.inFlight.get(socket) ?? 0) + 1);
    this.responses.add(res);
    if (this.draining) res.setHeader('Connection', 'close');
    res.once('close', () => {
      this.responses.delete(res);
      const left = (this.inFlight.get(socket) ?? 1) - 1;
      if (this.inFlight.has(socket)) this.inFlight.set(socket, left);
      // A response whose headers went out before the drain was keep-alive: end its socket now.
      if (this.draining && left === 0 && !socket.destroyed) socket.end();
    });
  }

  /** Starts the drain; resolves when every socket is closed, at the latest at the deadline. */
  drain({ deadlineMs, delayMs }: DrainOptions): Promise<void> {
    if (this.closed) return this.closed;
    this.draining = true;
    for (const res of this.responses) {
      if (!res.headersSent) res.setHeader('Connection', 'close');
    }
    this.closed = new Promise<void>((resolve) => {
      this.finish = resolve;
    });
    this.setDeadline(deadlineMs);
    if (delayMs > 0 && delayMs < deadlineMs) this.delayTimer = setTimeout(() => this.stopAccepting(), delayMs);
    else this.stopAccepting();
    return this.closed;
  }

  /** Only ever brings the deadline closer; a shutdown delay still running ends now. */
  shortenDeadline(ms: number) {
    if (!this.draining) return;
    if (Date.now() + ms < this.deadlineAt) this.setDeadline(ms);
    if (this.delayTimer) {
      clearTimeout(this.delayTimer);
      this.stopAccepting();
    }
  }

  private stopAccepting() {
    this.delayTimer = undefined;
    this.server.close(() => this.maybeFinish());
    this.server.closeIdleConnections();
    this.maybeFinish();
  }

  private setDeadline(ms: number) {
    clearTimeout(this.deadlineTimer);
    this.deadlineAt = Date.now() + ms;
    this.deadlineTimer = setTimeout(() => this.forceClose(), ms);
    this.deadlineTimer.unref();
  }

  private forceClose() {
    this.server.closeAllConnections();
    for (const socket of this.inFlight.keys()) socket.destroy();
    this.inFlight.clear();
    this.maybeFinish(true);
  }

  private maybeFinish(force = false) {
    if (!this.finish || this.delayTimer) return;
    if (!force && (this.server.listening || this.inFlight.size > 0)) return;
    clearTimeout(this.deadlineTimer);
    const finish = this.finish;
    this.finish = undefined;
    finish();
  }
}
