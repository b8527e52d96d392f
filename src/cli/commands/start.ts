import { resolve } from 'node:path';
import { releaseEarlySignals } from '../early-signals.js';
import type { ParsedCommand } from '../commands.js';
import { usageFail } from '../args.js';

const INSPECT_FLAG = '--inspect-lifecycle';

export async function run({ values, positionals }: ParsedCommand) {
  const root = resolve(positionals[0] ?? '.');
  // Through the environment, so cluster workers (which inherit it) follow the same flags.
  if (values.quiet) process.env.LIFECYCLE_QUIET = '1';
  const inspectFlag = values['inspect-lifecycle'] as string | undefined;
  if (inspectFlag !== undefined) {
    const { parseInspectorUrl } = await import('../../inspector/url.js');
    try {
      process.env.LIFECYCLE_INSPECT = parseInspectorUrl(inspectFlag, INSPECT_FLAG);
    } catch (err) {
      usageFail((err as Error).message, 'run: service-lifecycle start --help');
    }
  }
  const [{ startService }, { signalEvent }, { isPlatformApp }] = await Promise.all([
    import('../../service/start-service.js'),
    import('../../core/signals.js'),
    import('../../vtex-api/layout.js'),
  ]);
  // A platform app folder (manifest.json beside node/) runs through the @vtex/api adapter, loaded only then.
  const boot = isPlatformApp(root)
    ? import('../../vtex-api/index.js').then(({ startApp }) => startApp({ appRoot: root, port: values.port as string | undefined }))
    : startService({ root, role: 'main', flags: { port: values.port as string | undefined } });
  const actor = await boot.catch((err: Error) => usageFail(err.message, 'run: service-lifecycle start --help'));
  releaseEarlySignals((signal) => actor.send(signalEvent(signal)));
}
