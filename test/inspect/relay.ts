/** `service-lifecycle inspect` as the tests run it: its own token folder, a free port, its printed URLs. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { CLI, type RunningService, type trackServices } from '../helpers/service.js';

export interface StartedInspect {
  inspector: RunningService;
  port: number;
  /** The publisher URL with the token, as printed. */
  ws: string;
  /** The page's URL. */
  open: string;
  /** XDG_RUNTIME_DIR of `inspect` and of the services started with it: where the token file is. */
  env: Record<string, string>;
}

export async function startInspect(services: ReturnType<typeof trackServices>, env: Record<string, string> = { XDG_RUNTIME_DIR: mkdtempSync(join(tmpdir(), 'inspect-token-')) }): Promise<StartedInspect> {
  const inspector = services.start('', { command: [process.execPath, CLI, 'inspect', '--port', '0'], env });
  const listening = await inspector.waitForLine((l) => l.type === 'inspector-listening');
  return { inspector, port: Number(new URL(String(listening.open)).port), ws: String(listening.ws), open: String(listening.open), env };
}

/** A WebSocket client that records every message, whether it got in (or the status it was refused with), and how it ended. */
export function client(url: string, options: WebSocket.ClientOptions = {}) {
  const ws = new WebSocket(url, options);
  const messages: string[] = [];
  ws.on('message', (data) => messages.push(data.toString()));
  ws.on('error', () => {});
  const outcome = new Promise<'open' | 'error' | number>((resolve) => {
    ws.once('open', () => resolve('open'));
    ws.once('error', () => resolve('error'));
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode!);
      ws.terminate();
    });
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return { ws, messages, outcome, closed };
}
