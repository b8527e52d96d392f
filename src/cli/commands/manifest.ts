import { resolve } from 'node:path';
import { EXIT } from '../../core/exit-codes.js';
import { LifecycleError, LifecycleErrors } from '../../core/errors.js';
import { error, warn } from '../../core/log.js';
import { parseCommandArgs, usageFail } from '../usage.js';

export const MANIFEST_USAGE = `Usage: service-lifecycle manifest [root] [options]

Prints Kubernetes YAML for the service in root (default: .): Deployment, Service,
HorizontalPodAutoscaler, PodDisruptionBudget. Warnings go to stderr as JSON lines.

Options:
  --name <name>             object and label name (default: the folder name)
  --image <ref>             container image (default: <name>:latest)
  --port <n>                container port, also set as PORT (default: 5050)
  --cpus <n>                CPUs of the node the pods run on; needed only when service.json
                            has no usable "workers" (the pod then forks one worker per CPU, max 4)
  --prestop-seconds <n>     preStop sleep before SIGTERM (default: 5)
  --lb-idle-timeout <s>     idle timeout of the load balancer in front (default: 60);
                            KEEP_ALIVE_TIMEOUT_MS is set 5 s above it
  --help                    this text`;

export async function run(argv: string[]) {
  const { values, positionals } = parseCommandArgs('manifest', argv, {
    name: { type: 'string' },
    image: { type: 'string' },
    port: { type: 'string' },
    cpus: { type: 'string' },
    'prestop-seconds': { type: 'string' },
    'lb-idle-timeout': { type: 'string' },
    help: { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(MANIFEST_USAGE + '\n');
    return;
  }
  if (positionals.length > 1) usageFail(`manifest takes one service root, got ${positionals.length}: ${positionals.join(' ')}`);
  const root = resolve(positionals[0] ?? '.');
  const [{ loadServiceJson }, { readManifestOptions }, { buildManifest, renderManifest }] = await Promise.all([
    import('../../config/service-json.js'),
    import('../../deploy/options.js'),
    import('../../deploy/manifest.js'),
  ]);
  try {
    const options = readManifestOptions(root, values);
    const manifest = buildManifest(await loadServiceJson(root), options);
    for (const message of manifest.warnings) warn('manifest-warning', { message });
    process.stdout.write(renderManifest(manifest));
  } catch (err) {
    if (!(err instanceof LifecycleError)) throw err;
    if (err.exitCode === EXIT.USAGE) usageFail(err.message);
    for (const problem of err instanceof LifecycleErrors ? err.problems : [err]) {
      error('manifest-failed', { message: problem.message, ...(problem.field ? { field: problem.field } : {}) });
    }
    process.exit(err.exitCode);
  }
}
