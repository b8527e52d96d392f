import module from 'node:module';

type CompileCacheApi = { enableCompileCache?: () => unknown; flushCompileCache?: () => void };
const api = module as CompileCacheApi;

/**
 * Turns on Node's module compile cache (`module.enableCompileCache()`, Node 22.8+; nothing on Node 20):
 * V8's code cache of every CommonJS and ES module compiled from here on, ours and the service's, is
 * kept on disk and reused by the next boot. The directory is NODE_COMPILE_CACHE when set, else
 * `<os.tmpdir()>/node-compile-cache`, with one subdirectory per Node version, architecture and flags.
 * Node writes each entry to a temporary file and renames it into place, and checks an entry against
 * the module's source when it reads it, so processes booting side by side (a cluster's workers) share
 * the directory safely. NODE_DISABLE_COMPILE_CACHE=1 turns it off. It never throws: a directory that
 * cannot be written leaves the cache off. Measured (bench/NOTES.md): a warm cache takes 3–9 % off the
 * CPU time to the first 200, an empty one adds 2–8 % (the entries are made as modules compile).
 */
export function enableCompileCache(): void {
  api.enableCompileCache?.();
}

/** Writes the entries made so far now rather than at exit, so a respawned worker finds them (Node 22.10+). */
export function flushCompileCacheSoon(delayMs = 1_000): void {
  if (api.flushCompileCache) setTimeout(() => api.flushCompileCache!(), delayMs).unref();
}
