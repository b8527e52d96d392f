/**
 * The relay's read-only clients. `/live` viewers (the page) get one `hello` with everything, then
 * the model's deltas in batches, so a burst (a crash loop) costs one message per batch. `/raw`
 * viewers (the Stately bridge) get the publishers' inspection events as sent, after a bounded
 * replay. A viewer too far behind is dropped (it reconnects and gets a fresh hello): the relay's
 * memory stays bounded whoever reads slowly.
 */
import { WebSocket } from 'ws';
import type { LiveDelta, RelayMessage } from './page/live-types.js';

const BATCH_MS = 50;
/** Bytes waiting for one viewer before it is dropped. */
const BACKLOG = 2 * 1024 * 1024;
const RAW_REPLAY = 1_000;
const RAW_REPLAY_BYTES = 8 * 1024 * 1024;

function sendOrDrop(ws: WebSocket, text: string, onDrop: () => void) {
  if (ws.readyState !== WebSocket.OPEN) return;
  if (ws.bufferedAmount > BACKLOG) {
    onDrop();
    ws.terminate();
    return;
  }
  ws.send(text);
}

export class LiveViewers {
  private readonly pending = new Map<WebSocket, LiveDelta[]>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly onDrop: () => void) {}

  add(ws: WebSocket, hello: RelayMessage) {
    this.pending.set(ws, []);
    ws.on('close', () => this.pending.delete(ws));
    sendOrDrop(ws, JSON.stringify(hello), this.onDrop);
  }

  push(delta: LiveDelta) {
    if (this.pending.size === 0) return;
    for (const queue of this.pending.values()) queue.push(delta);
    this.timer ??= setTimeout(() => this.flush(), BATCH_MS);
  }

  private flush() {
    this.timer = undefined;
    for (const [ws, queue] of this.pending) {
      if (queue.length === 0) continue;
      const batch: RelayMessage = { type: 'batch', items: queue.splice(0) };
      sendOrDrop(ws, JSON.stringify(batch), this.onDrop);
    }
  }

  close() {
    clearTimeout(this.timer);
  }
}

export class RawViewers {
  private readonly viewers = new Set<WebSocket>();
  private readonly replay: string[] = [];
  private replayBytes = 0;

  constructor(private readonly onDrop: () => void) {}

  add(ws: WebSocket) {
    this.viewers.add(ws);
    ws.on('close', () => this.viewers.delete(ws));
    for (const text of this.replay) sendOrDrop(ws, text, this.onDrop);
  }

  push(text: string) {
    this.replay.push(text);
    this.replayBytes += text.length;
    while (this.replay.length > RAW_REPLAY || this.replayBytes > RAW_REPLAY_BYTES) this.replayBytes -= this.replay.shift()!.length;
    for (const ws of this.viewers) sendOrDrop(ws, text, this.onDrop);
  }
}
