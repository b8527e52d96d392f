import { EXIT } from '../../core/exit-codes.js';
import { error, info } from '../../core/log.js';
import { parseCommandArgs, usageFail } from '../usage.js';

export const INSPECT_USAGE = `Usage: service-lifecycle inspect [--port <n>]

Starts a local inspector on 127.0.0.1 (loopback only; no browser is opened):
  1. run this in one terminal;
  2. start the service in another: service-lifecycle start <root> --inspect-lifecycle=ws://127.0.0.1:<port>;
  3. open http://127.0.0.1:<port> in a browser to watch it in the Stately inspector
     (the page loads https://stately.ai/inspect, so the browser needs the internet).
Each transition of every connected statechart is also printed here as a JSON line.

Options:
  --port <n>   port to listen on (default: 8080; 0 picks a free one)
  --help       this text`;

type Inspected = { type?: string; sessionId?: string; name?: string; snapshot?: { value?: unknown }; event?: { type?: string } };

export async function run(argv: string[]) {
  const { values, positionals } = parseCommandArgs('inspect', argv, { port: { type: 'string' }, help: { type: 'boolean' } });
  if (values.help) {
    process.stdout.write(INSPECT_USAGE + '\n');
    return;
  }
  if (positionals.length > 0) usageFail(`inspect takes no arguments, got: ${positionals.join(' ')}`);
  const { DEFAULT_INSPECTOR_PORT } = await import('../../inspector/url.js');
  const port = values.port === undefined ? DEFAULT_INSPECTOR_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) usageFail(`inspect --port ${JSON.stringify(values.port)}: expected a port number from 0 to 65535`);

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
