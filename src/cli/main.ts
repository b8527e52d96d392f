#!/usr/bin/env node
// The bin. Node's compile cache goes on before any other module of ours loads, so that ours and
// the service's are all cached (src/core/compile-cache.ts); then the CLI itself.
import { enableCompileCache } from '../core/compile-cache.js';

enableCompileCache();
await import('./cli.js');
