import { EXIT } from '../../core/exit-codes.js';
import { error, info } from '../../core/log.js';
import type { ParsedCommand } from '../commands.js';
import { usageFail } from '../args.js';

type Inspected = { type?: string; sessionId?: string; name?: string; snapshot?: { value?: unknown }; event?: { type?: string } };

export async function run({ values }: ParsedCommand) {
  const { DEFAULT_INSPECTOR_PORT } = await import('../../inspector/url.js');
  const port = values.port === undefined ? DEFAULT_INSPECTOR_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) usageFail(`inspect: --port is ${JSON.stringify(values.port)}; expected a port number from 0 to 65535`, 'run: service-lifecycle inspect --help');

  const [{ startInspectorServer }, { stateName }] = await Promise.all([import('../../inspector/server.js'), import('../../core/run.js')]);
  const names = new Map<string, string>();
  const show = (event: Inspected) => {
    if (event.type === '@xstate.actor' && event.sessionId) names.set(event.sessionId, event.name ?? event.sessionId);
    if (event.type !== '@xstate.snapshot' || event.snapshot?.value === undefined || !event.sessionId) return;
    info('inspected', { actor: names.get(event.sessionId) ?? event.sessionId, state: stateName(event.snapshot.value), event: event.event?.type });
  };
  const server = await startInspectorServer({ host: '127.0.0.1', port, onEvent: (e) => show(e as Inspected) }).catch((err: NodeJS.ErrnoException) => {
    error('inspector-listen-failed', { port, message: err.message, fix: 'pick another port: service-lifecycle inspect --port <n>' });
    process.exit(EXIT.LISTEN_FAILED);
  });
  const ws = `ws://127.0.0.1:${server.port}`;
  info('inspector-listening', {
    ws,
    open: `http://127.0.0.1:${server.port}`,
    connect: `service-lifecycle start <root> --inspect-lifecycle=${ws}`,
    note: 'the page embeds https://stately.ai/inspect (the browser needs the internet); transitions also print here',
  });
  const stop = () => void server.close().then(() => process.exit(EXIT.OK));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
