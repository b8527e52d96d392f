/**
 * What a cluster primary forks for a platform app (`vtexApp`'s `workerEntry`): the same statechart
 * in the `worker` role, with the options its primary was started with (`workerArgs`).
 */
import { runVtexApp } from './index.js';
import { appFolderLayout, sdkLayout } from './layout.js';

const [kind, root, byPath] = process.argv.slice(2);
if (!root) throw new Error('vtex-api worker-main: missing arguments <layout> <root> <routes>');
await runVtexApp({ layout: kind === 'app-folder' ? appFolderLayout(root) : sdkLayout(root), routesByPath: byPath === 'routes-by-path' });
