import { resolve } from 'node:path';
import { EXIT } from '../../core/exit-codes.js';
import { LifecycleError, LifecycleErrors } from '../../core/errors.js';
import { error, warn } from '../../core/log.js';
import type { ParsedCommand } from '../commands.js';
import { usageFail } from '../args.js';

export async function run({ values, positionals }: ParsedCommand) {
  const root = resolve(positionals[0] ?? '.');
  const [{ loadServiceJson }, { readManifestOptions }, { buildManifest, renderManifest }] = await Promise.all([
    import('../../config/service-json.js'),
    import('../../deploy/options.js'),
    import('../../deploy/manifest.js'),
  ]);
  try {
    const options = readManifestOptions(root, values as Record<string, string | undefined>);
    const manifest = buildManifest(await loadServiceJson(root), options);
    for (const message of manifest.warnings) warn('manifest-warning', { message });
    process.stdout.write(renderManifest(manifest));
  } catch (err) {
    if (!(err instanceof LifecycleError)) throw err;
    if (err.exitCode === EXIT.USAGE) usageFail(err.message, 'run: service-lifecycle manifest --help');
    for (const problem of err instanceof LifecycleErrors ? err.problems : [err]) {
      error('manifest-failed', { message: problem.message, ...(problem.field ? { field: problem.field } : {}) });
    }
    process.exit(err.exitCode);
  }
}
