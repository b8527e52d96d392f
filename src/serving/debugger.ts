import inspector from 'node:inspector';
import { info, warn } from '../core/log.js';

/**
 * Linked mode: the debugger runs on the main process (there is no worker to attach to), on
 * loopback only. If node was started with --inspect, that session is kept as it is.
 */
export function openDebugger(port: number) {
  const existing = inspector.url();
  if (existing) {
    info('debugger', { url: existing, note: 'node was started with --inspect; kept as is' });
    return;
  }
  try {
    inspector.open(port, '127.0.0.1', false);
  } catch (err) {
    warn('debugger-unavailable', { port, error: (err as Error).message, fix: 'set INSPECT_PORT to a free port' });
    return;
  }
  // Node 20 does not throw when the port is taken: it prints a note and leaves url() empty.
  const url = inspector.url();
  if (url) info('debugger', { url, host: '127.0.0.1', port });
  else warn('debugger-unavailable', { port, error: 'the inspector could not bind', fix: 'set INSPECT_PORT to a free port' });
}
