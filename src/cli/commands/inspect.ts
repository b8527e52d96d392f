import { EXIT } from '../../core/exit-codes.js';
import { error, info, warn } from '../../core/log.js';
import type { LiveDelta, LogEntry } from '../../inspector/page/live-types.js';
import type { ParsedCommand } from '../commands.js';
import { usageFail } from '../args.js';

/** The terminal's view: one `inspected` line per transition (as before the page), one `inspected-process` per fork, exit or loss. */
function printEntry(entry: LogEntry, actor: string) {
  const where = entry.slot === null ? {} : { slot: entry.slot };
  if (entry.kind === 'transition') return info('inspected', { actor, state: entry.to, event: entry.event, ...where });
  const what = entry.kind === 'exit' ? { exit: entry.signal ?? entry.code, ...(entry.error ? { error: entry.error } : {}) } : entry.kind === 'lost' ? { lost: 'connection closed without a final state' } : { forked: true };
  info('inspected-process', { actor, ...what, ...where });
}

export async function run({ values }: ParsedCommand) {
  const { DEFAULT_INSPECTOR_PORT } = await import('../../inspector/url.js');
  const port = values.port === undefined ? DEFAULT_INSPECTOR_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) usageFail(`inspect: --port is ${JSON.stringify(values.port)}; expected a port number from 0 to 65535`, 'run: service-lifecycle inspect --help');

  const [{ startInspectorServer }, { newToken }, tokens, { lifecycleMachine }, { lifecycleDiagram, diagramStateIds }] = await Promise.all([
    import('../../inspector/server.js'),
    import('../../inspector/security.js'),
    import('../../inspector/token-file.js'),
    import('../../../machines/lifecycle.js'),
    import('../../diagram/mermaid.js'),
  ]);
  // A fixed port keeps its token across restarts, so services given the printed URL reconnect.
  const token = (port !== 0 && tokens.readToken(port)) || newToken();
  const names = new Map<number, string>();
  const onDelta = (delta: LiveDelta) => {
    if (delta.type === 'process' && delta.process.role) names.set(delta.process.pid, `lifecycle (${delta.process.role} ${delta.process.pid})`);
    if (delta.type === 'log') printEntry(delta.entry, names.get(delta.entry.pid) ?? `lifecycle (? ${delta.entry.pid})`);
  };
  const diagram = { text: lifecycleDiagram(lifecycleMachine), ids: diagramStateIds(lifecycleMachine) };
  const server = await startInspectorServer({ host: '127.0.0.1', port, token, diagram, onDelta }).catch((err: NodeJS.ErrnoException) => {
    error('inspector-listen-failed', { port, message: err.message, fix: 'pick another port: service-lifecycle inspect --port <n>' });
    process.exit(EXIT.LISTEN_FAILED);
  });

  let tokenFile: string | undefined;
  try {
    tokenFile = tokens.writeToken(server.port, token);
  } catch (err) {
    warn('inspector-token-file-failed', { message: (err as Error).message, note: '--inspect-lifecycle without ?token= cannot connect; use the ws URL printed below' });
  }
  // Before the line that says we listen: a signal sent on reading it must find its handler.
  const stop = () =>
    void server.close().then(() => {
      // An ephemeral port's token would only pile up; a fixed port's is reused next time.
      if (tokenFile && port === 0) tokens.removeToken(tokenFile);
      process.exit(EXIT.OK);
    });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const base = `ws://127.0.0.1:${server.port}`;
  const ws = `${base}/?token=${token}`;
  info('inspector-listening', {
    open: `http://127.0.0.1:${server.port}`,
    ws,
    connect: `LIFECYCLE_INSPECT='${ws}' service-lifecycle start <root>`,
    ...(tokenFile ? { tokenFile, same: `service-lifecycle start <root> --inspect-lifecycle${server.port === DEFAULT_INSPECTOR_PORT ? '' : `=${base}`}` } : {}),
    stately: `http://127.0.0.1:${server.port}/stately (the hosted Stately inspector; needs the internet)`,
  });
}
