import { resolve } from 'node:path';
import { releaseEarlySignals } from '../early-signals.js';
import { parseCommandArgs, usageFail } from '../usage.js';

const INSPECT_FLAG = '--inspect-lifecycle';

export async function run(argv: string[]) {
  // A bare --inspect-lifecycle means the default URL; parseArgs wants a value, so give it an empty one.
  const args = argv.map((arg) => (arg === INSPECT_FLAG ? `${INSPECT_FLAG}=` : arg));
  const { values, positionals } = parseCommandArgs('start', args, {
    port: { type: 'string' },
    quiet: { type: 'boolean' },
    'inspect-lifecycle': { type: 'string' },
  });
  if (positionals.length > 1) usageFail(`start takes one service root, got ${positionals.length}: ${positionals.join(' ')}`);
  const root = resolve(positionals[0] ?? '.');
  // Through the environment, so cluster workers (which inherit it) follow the same flags.
  if (values.quiet) process.env.LIFECYCLE_QUIET = '1';
  const inspectFlag = values['inspect-lifecycle'];
  if (inspectFlag !== undefined) {
    const { parseInspectorUrl } = await import('../../inspector/url.js');
    try {
      process.env.LIFECYCLE_INSPECT = parseInspectorUrl(inspectFlag, INSPECT_FLAG);
    } catch (err) {
      usageFail((err as Error).message);
    }
  }
  const [{ startService }, { signalEvent }, { isPlatformApp }] = await Promise.all([
    import('../../service/start-service.js'),
    import('../../core/signals.js'),
    import('../../vtex-api/layout.js'),
  ]);
  // A platform app folder (manifest.json beside node/) runs through the @vtex/api adapter, loaded only then.
  const boot = isPlatformApp(root)
    ? import('../../vtex-api/index.js').then(({ startApp }) => startApp({ appRoot: root, port: values.port }))
    : startService({ root, role: 'main', flags: { port: values.port } });
  const actor = await boot.catch((err: Error) => usageFail(err.message));
  releaseEarlySignals((signal) => actor.send(signalEvent(signal)));
}
