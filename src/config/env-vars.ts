/**
 * Every environment variable a service run reads, with its default and meaning: what `start --help`
 * lists (and the README's table, which a test keeps in step). The values are read in env.ts,
 * workers, the respawn policy and the CLI; the two NODE_* ones by Node itself (src/core/compile-cache.ts).
 */
export const ENV_VARS: ReadonlyArray<{ name: string; default: string; meaning: string }> = [
  { name: 'PORT', default: '5050', meaning: 'listen port, 0-65535 (0: any free port); --port overrides it' },
  { name: 'WORKERS', default: 'unset', meaning: 'worker count 1-4, overriding service.json "workers" (the up line says which source won)' },
  { name: 'VTEX_APP_LINK, SERVICE_LINKED', default: 'unset', meaning: 'linked (dev) mode: one process, debugger on it' },
  { name: 'INSPECT_PORT', default: '5858', meaning: 'debugger port in linked mode (127.0.0.1 only)' },
  { name: 'SHUTDOWN_DELAY_MS', default: '0', meaning: 'after a signal, how long the listener keeps accepting while readiness says 503' },
  { name: 'KEEP_ALIVE_TIMEOUT_MS', default: '5000', meaning: 'idle keep-alive sockets are closed after this' },
  { name: 'HEADERS_TIMEOUT_MS', default: '60000', meaning: 'a client that has not sent its headers by then gets 408' },
  { name: 'REQUEST_TIMEOUT_MS', default: '300000', meaning: 'the whole request must arrive by then (408)' },
  { name: 'LIFECYCLE_UP_URL', default: 'unset', meaning: 'http(s) URL that gets one POST {"statusTrack":true} once the service is up' },
  { name: 'CLUSTER_REUSEPORT', default: 'unset', meaning: 'cluster mode: 1 = each worker listens on the port itself (SO_REUSEPORT), no accept hop in the primary; Node 22.12+ on Linux, else a warning and classic cluster mode' },
  { name: 'LIFECYCLE_ACCESS_LOG', default: 'unset', meaning: '1: one "access" line per request (method, path, status, ms)' },
  { name: 'LIFECYCLE_INSPECT', default: 'unset', meaning: 'ws:// URL of a lifecycle inspector (what --inspect-lifecycle sets)' },
  { name: 'LIFECYCLE_QUIET', default: 'unset', meaning: '1: no lifecycle transition lines (what --quiet sets)' },
  { name: 'LIFECYCLE_RESPAWN_BASE_MS, LIFECYCLE_RESPAWN_MAX_MS', default: '100, 15000', meaning: 'cluster respawn backoff: first delay and cap' },
  { name: 'LIFECYCLE_CGROUP_CPU_MAX', default: 'unset', meaning: 'tests only: a cgroup v2 cpu.max file read instead of this process\'s own (CPU quota warning)' },
  { name: 'NODE_COMPILE_CACHE', default: '<tmpdir>/node-compile-cache', meaning: "Node's own (22+): where the compile cache of our modules and the service's lives" },
  { name: 'NODE_DISABLE_COMPILE_CACHE', default: 'unset', meaning: "Node's own (22+): 1 turns the compile cache off" },
];
