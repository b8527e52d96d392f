/**
 * Wrong configuration and wrong invocations: each gives one JSON error line naming the field and the
 * fix, exits with the documented code (64 usage/env, 69 listen, 78 boot/config), and leaves no
 * process and no listening socket behind. Invalid `workers` is not an error: it falls back to the
 * CPU count with a warning (spec FR-11).
 */
import { cpus } from 'node:os';
import { afterAll, describe, expect, test } from 'vitest';
import { CLI, makeServiceRoot, settled, startService, type LogLine, type StartOptions } from '../helpers/service.js';
import { freePort, holdPort, portIsFree, type HeldPort } from '../../support/ports.js';
import { processesWithEnv } from '../../support/proc.js';
import { FIXTURE_ENTRY, fixtureServiceJson } from '../helpers/fixture.js';
import { sleep } from '../helpers/http.js';
import { MAX_WORKERS } from '../../src/config/workers.js';

interface BadInput {
  name: string;
  workers?: number;
  /** service.json: an object, raw text, or null for no file. */
  serviceJson?: unknown;
  /** Entry module text, or null for none. */
  entry?: string | null;
  entryName?: string;
  env?: Record<string, string>;
  args?: string[];
  /** argv after the CLI path, instead of `start <root>`. */
  cli?: (root: string) => string[];
  /** The port is held by another listener while the case runs. */
  portInUse?: boolean;
  code: 64 | 69 | 78;
  field?: string;
  /** What the line must say: the field/value and the fix. */
  says: RegExp[];
  /** The error line's `stack` must match this: where the service's own error came from. */
  stack?: RegExp;
  /** A warning line that must come before the failure (a typo the failure follows from). */
  warns?: RegExp;
}

const routes = (extra: Record<string, unknown> = {}, workers = 1) => fixtureServiceJson(workers, extra);
const ENTRY_WITH = (routesCode: string) => `export default { routes: { ${routesCode} } };`;
const HELLO_ONLY = { workers: 1, routes: { hello: { path: '/hello' } } };

const CASES: BadInput[] = [
  { name: 'missing service.json', serviceJson: null, code: 78, field: 'service.json', says: [/service\.json: not found/, /create it/] },
  { name: 'empty service.json', serviceJson: '  \n', code: 78, field: 'service.json', says: [/the file is empty/, /write a JSON object/] },
  { name: 'invalid JSON', serviceJson: '{\n  "workers": 1,\n  "routes": {,}\n}\n', code: 78, field: 'service.json', says: [/invalid JSON/, /at line 3 column 14/, /fix the syntax there/] },
  { name: 'service.json not an object', serviceJson: '[1, 2]', code: 78, field: 'service.json', says: [/expected a JSON object at the top level/, /got \[1,2\]/] },
  { name: 'timeout negative', serviceJson: routes({ timeout: -5 }), code: 78, field: 'timeout', says: [/"timeout" is -5/, /expected a number of seconds from 0 to 3600/] },
  { name: 'timeout non-numeric', serviceJson: routes({ timeout: 'abc' }), code: 78, field: 'timeout', says: [/"timeout" is "abc"/, /expected a number of seconds/] },
  { name: 'timeout absurdly large', serviceJson: routes({ timeout: 1e9 }), code: 78, field: 'timeout', says: [/"timeout" is 1000000000/, /from 0 to 3600/] },
  { name: 'routes not an object', serviceJson: { workers: 1, routes: 'hello' }, entry: ENTRY_WITH(''), code: 78, field: 'routes', says: [/"routes" is "hello"/, /expected an object of route id/] },
  { name: 'route without path', serviceJson: { workers: 1, routes: { hello: { public: true } } }, entry: ENTRY_WITH('hello: (ctx) => {}'), code: 78, field: 'routes.hello.path', says: [/"routes\.hello\.path" missing/, /expected a path string such as/] },
  { name: 'route path without a leading slash', serviceJson: { workers: 1, routes: { hello: { path: 'hello' } } }, entry: ENTRY_WITH('hello: (ctx) => {}'), code: 78, field: 'routes.hello.path', says: [/"routes\.hello\.path" is "hello"/, /starting with "\/"/] },
  { name: 'route path @koa/router rejects', serviceJson: { workers: 1, routes: { hello: { path: '/hello/:' } } }, entry: ENTRY_WITH('hello: (ctx) => {}'), code: 78, field: 'routes.hello.path', says: [/"routes\.hello\.path" is "\/hello\/:"/, /Missing parameter name/, /@koa\/router path syntax/] },
  { name: 'route id in the module missing from service.json', serviceJson: HELLO_ONLY, entry: ENTRY_WITH('hello: (ctx) => {}, extra: (ctx) => {}'), code: 78, field: 'routes.extra', says: [/route "extra" is not declared in service\.json/, /add "routes": \{ "extra"/] },
  { name: 'route in service.json without a handler', serviceJson: { workers: 1, routes: { hello: { path: '/hello' }, ghost: { path: '/ghost' } } }, entry: ENTRY_WITH('hello: (ctx) => {}'), code: 78, field: 'routes.ghost', says: [/route "ghost" has no handler/, /export routes\.ghost .* or remove it/] },
  { name: 'missing entry module', serviceJson: HELLO_ONLY, entry: null, code: 78, field: 'entry', says: [/no entry module/, /create one of index\.js/] },
  { name: 'entry throws on import', serviceJson: HELLO_ONLY, entry: `throw new Error('kaboom-on-import');`, code: 78, field: 'entry', says: [/index\.js: failed to load/, /kaboom-on-import/] },
  { name: 'entry exports nothing', serviceJson: HELLO_ONLY, entry: 'export const unrelated = 1;\n', entryName: 'index.mjs', code: 78, field: 'entry', says: [/exports nothing usable/, /export default \{ routes/] },
  { name: 'empty CommonJS entry', serviceJson: HELLO_ONLY, entry: '// nothing\n', code: 78, field: 'entry', says: [/default export has no "routes" object/, /export default \{ routes/] },
  { name: 'entry default export without routes', serviceJson: HELLO_ONLY, entry: 'export default { setup() {} };', code: 78, field: 'entry', says: [/no "routes" object/, /export default \{ routes/] },
  { name: 'non-function route', serviceJson: HELLO_ONLY, entry: ENTRY_WITH(`hello: 'not a function'`), code: 78, field: 'routes.hello', says: [/routes\.hello is string/, /expected a Koa middleware function/] },
  { name: 'setup() throws', serviceJson: HELLO_ONLY, entry: `export default { routes: { hello: (ctx) => {} }, async setup() { throw new Error('db connect failed'); } };`, code: 78, field: 'setup', says: [/index\.js: setup\(\) failed: Error: db connect failed/, /its stack says where/], stack: /Error: db connect failed\n\s+at .*index\.js:1:/ },
  { name: 'route ids unmatched on both sides', serviceJson: { workers: 1, routes: { greeting: { path: '/greeting' } } }, entry: ENTRY_WITH('greet: (ctx) => {}'), code: 78, field: 'routes.greet', says: [/route "greet" is not declared in service\.json, which declares "greeting" with no handler; rename one side so the ids match/] },
  { name: 'a misspelled top-level key', serviceJson: { workers: 1, route: { hello: { path: '/hello' } } }, entry: ENTRY_WITH('hello: (ctx) => {}'), code: 78, field: 'routes.hello', says: [/route "hello" is not declared in service\.json \(it has no "routes"\)/], warns: /service\.json: unknown key "route" is ignored; did you mean "routes"\?$/ },
  { name: 'the root is a file', cli: (root) => ['start', `${root}/service.json`], code: 78, field: 'service.json', says: [/service\.json is a file, not a folder; pass the folder that holds service\.json/] },
  { name: 'the root does not exist', cli: (root) => ['start', `${root}/nowhere`], code: 78, field: 'service.json', says: [/nowhere: no such folder; pass the service root/] },
  { name: 'setup not a function', serviceJson: HELLO_ONLY, entry: 'export default { routes: { hello: (ctx) => {} }, setup: 42 };', code: 78, field: 'setup', says: [/"setup" is number/, /expected a function/] },
  { name: 'PORT not a number', env: { PORT: 'abc' }, code: 64, field: 'PORT', says: [/PORT is "abc"/, /expected a port number from 0 to 65535/] },
  { name: 'PORT out of range', env: { PORT: '70000' }, code: 64, field: 'PORT', says: [/PORT is "70000"/, /from 0 to 65535/] },
  { name: 'PORT already in use', portInUse: true, code: 69, field: 'PORT', says: [/PORT \d+ is already in use/, /stop the other process or set PORT to a free port/] },
  { name: '--port not a number', args: ['--port', 'eighty'], code: 64, field: 'PORT', says: [/^--port is "eighty"; expected a port number from 0 to 65535$/] },
  { name: '--port with a letter in it', args: ['--port', '61x'], code: 64, field: 'PORT', says: [/^--port is "61x"/] },
  { name: 'a flag typo', args: ['--prot', '6110'], code: 64, says: [/^start: unknown option --prot; did you mean --port\?$/] },
  { name: 'INSPECT_PORT not a number', env: { INSPECT_PORT: 'nine' }, code: 64, field: 'INSPECT_PORT', says: [/INSPECT_PORT is "nine"/, /expected a port number from 1 to 65535/] },
  { name: 'INSPECT_PORT out of range', env: { INSPECT_PORT: '0' }, code: 64, field: 'INSPECT_PORT', says: [/INSPECT_PORT is "0"/, /from 1 to 65535/] },
  { name: 'CLUSTER_REUSEPORT neither 0 nor 1', workers: 2, env: { CLUSTER_REUSEPORT: 'yes' }, code: 64, field: 'CLUSTER_REUSEPORT', says: [/^CLUSTER_REUSEPORT is "yes"; expected 1 \(on\) or 0 \(off\)$/] },
  { name: 'SHUTDOWN_DELAY_MS negative', env: { SHUTDOWN_DELAY_MS: '-1' }, code: 64, field: 'SHUTDOWN_DELAY_MS', says: [/SHUTDOWN_DELAY_MS is "-1"/, /milliseconds from 0 to 600000/] },
  { name: 'KEEP_ALIVE_TIMEOUT_MS zero', env: { KEEP_ALIVE_TIMEOUT_MS: '0' }, code: 64, field: 'KEEP_ALIVE_TIMEOUT_MS', says: [/KEEP_ALIVE_TIMEOUT_MS is "0"/, /milliseconds from 1 to 3600000/] },
  { name: 'HEADERS_TIMEOUT_MS above REQUEST_TIMEOUT_MS', env: { HEADERS_TIMEOUT_MS: '5000', REQUEST_TIMEOUT_MS: '1000' }, code: 64, field: 'HEADERS_TIMEOUT_MS', says: [/exceeds REQUEST_TIMEOUT_MS/, /lower it or raise REQUEST_TIMEOUT_MS/] },
  { name: 'LIFECYCLE_UP_URL not a URL', env: { LIFECYCLE_UP_URL: 'localhost:8080/up' }, code: 64, field: 'LIFECYCLE_UP_URL', says: [/LIFECYCLE_UP_URL is "localhost:8080\/up"/, /expected an http\(s\) URL/] },
  { name: 'unknown CLI flag', args: ['--bogus'], code: 64, says: [/^start: unknown option --bogus$/] },
  { name: 'unknown command', cli: () => ['serve'], code: 64, says: [/unknown command "serve"/, /expected one of .*start/] },
  { name: 'a command typo', cli: () => ['strat'], code: 64, says: [/^unknown command "strat"; did you mean "start"\?$/] },
  { name: 'two service roots', cli: (root) => ['start', root, root], code: 64, says: [/start takes one service root, got 2/] },
  // Cluster mode: the same faults found by the workers end the primary with the same code.
  { name: 'cluster: entry throws on import', workers: 2, serviceJson: { ...HELLO_ONLY, workers: 2 }, entry: `throw new Error('kaboom-on-import');`, code: 78, field: 'entry', says: [/failed to load/, /kaboom-on-import/] },
  { name: 'cluster: route id missing from service.json', workers: 2, serviceJson: { ...HELLO_ONLY, workers: 2 }, entry: ENTRY_WITH('hello: (ctx) => {}, extra: (ctx) => {}'), code: 78, field: 'routes.extra', says: [/route "extra" is not declared/, /add "routes"/] },
  { name: 'cluster: missing entry module', workers: 2, serviceJson: { ...HELLO_ONLY, workers: 2 }, entry: null, code: 78, field: 'entry', says: [/no entry module/, /create one of/] },
  { name: 'cluster: PORT already in use', workers: 2, portInUse: true, code: 69, field: 'PORT', says: [/PORT \d+ is already in use/, /set PORT to a free port/] },
];

/** Invalid `workers`: a warning naming the value and the fallback, and the service serves. */
const cpuWorkers = Math.max(1, Math.min(cpus().length, MAX_WORKERS));
const WORKER_FALLBACKS: Array<{ value: unknown; workers: number; says: RegExp }> = [
  { value: 0, workers: cpuWorkers, says: /"workers" is 0; expected a positive integer, using the CPU count/ },
  { value: -1, workers: cpuWorkers, says: /"workers" is -1; expected a positive integer, using the CPU count/ },
  { value: 1.5, workers: cpuWorkers, says: /"workers" is 1\.5; expected a positive integer, using the CPU count/ },
  { value: '2', workers: cpuWorkers, says: /"workers" is "2"; expected a positive integer, using the CPU count/ },
  { value: null, workers: cpuWorkers, says: /"workers" is null; expected a positive integer, using the CPU count/ },
  { value: true, workers: cpuWorkers, says: /"workers" is true; expected a positive integer, using the CPU count/ },
  { value: 1e9, workers: MAX_WORKERS, says: /"workers" is 1000000000; capped at 4/ },
];

/** At most this many cases run at once: enough to keep the file short, few enough not to starve other tests of CPU. */
const PARALLEL = 3;
let running = 0;
const waiting: Array<() => void> = [];
async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

const tried: string[] = [];
afterAll(() => {
  console.log(`[reliability] bad inputs tried: ${tried.length} (${CASES.length} failing with an exit code, ${WORKER_FALLBACKS.length} invalid "workers" falling back)`);
});

function run(root: string, opts: StartOptions & { cli?: string[] }) {
  const marker = `bad-input-${process.pid}-${Date.now()}-${Math.random()}`;
  const svc = startService(root, {
    ...opts,
    env: { RELIABILITY_MARKER: marker, ...opts.env },
    command: opts.cli ? [process.execPath, CLI, ...opts.cli] : undefined,
  });
  return { svc, marker };
}

/** Nothing of the case is left: no process with its marker, its port free again. */
async function expectNothingLeft(marker: string, port: number | undefined) {
  for (let i = 0; i < 50 && processesWithEnv('RELIABILITY_MARKER', marker).length > 0; i++) await sleep(100);
  expect(processesWithEnv('RELIABILITY_MARKER', marker)).toEqual([]);
  if (port === undefined) return;
  for (let i = 0; i < 50 && !(await portIsFree(port)); i++) await sleep(100);
  expect(await portIsFree(port)).toBe(true);
}

const isJson = (line: string) => {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
};

describe('bad input: one line naming the field and the fix, the documented exit code, nothing left behind', () => {
  test.concurrent.each(CASES)('$name → exit $code', { timeout: 60_000 }, (c) => slot(async () => {
    tried.push(c.name);
    const serviceJson = c.serviceJson === undefined ? routes({}, c.workers ?? 1) : c.serviceJson === null ? undefined : c.serviceJson;
    const root = makeServiceRoot({ serviceJson, entry: c.entry === undefined ? FIXTURE_ENTRY : (c.entry ?? undefined), entryName: c.entryName });
    let holder: HeldPort | undefined;
    let port: number | undefined = await freePort();
    if (c.portInUse) {
      holder = await holdPort();
      port = holder.port;
    }
    if (c.env?.PORT || c.args?.includes('--port')) port = undefined;
    const { svc, marker } = run(root, { env: { ...(port !== undefined ? { PORT: String(port) } : {}), ...c.env }, args: c.args, cli: c.cli?.(root) });
    try {
      const exit = await settled(svc);
      const errors = svc.lines.filter((l) => l.level === 'error');
      const context = svc.output();
      expect(exit.code, context).toBe(c.code);
      expect(errors.length, context).toBeGreaterThanOrEqual(1);
      const line = errors.find((l: LogLine) => c.says.every((re) => re.test(String(l.message)))) ;
      expect(line, `no error line says ${c.says.join(' and ')}:\n${context}`).toBeDefined();
      if (c.field) expect(line!.field, context).toBe(c.field);
      if (c.stack) expect(String(line!.stack), context).toMatch(c.stack);
      if (c.warns) {
        const warning = svc.lines.findIndex((l) => l.level === 'warn' && c.warns!.test(String(l.message)));
        expect(warning, context).toBeGreaterThanOrEqual(0);
        expect(warning, 'the warning comes first').toBeLessThan(svc.lines.indexOf(line!));
      }
      // A failed boot's last line says so at error level.
      const exitLine = svc.lines.find((l) => l.type === 'exit');
      if (exitLine) expect(exitLine.level, context).toBe('error');
      else expect(line!.fix, context).toMatch(/^run: service-lifecycle (\w+ --)?help$/);
      // One JSON line per problem: no stack trace or other raw text on either stream.
      expect(context.split('\n').filter((l) => l.trim() && !isJson(l)), context).toEqual([]);
      expect(svc.lines.some((l) => l.type === 'up'), context).toBe(false);
    } finally {
      svc.kill('SIGKILL');
      await svc.exited;
      await holder?.close();
    }
    await expectNothingLeft(marker, c.portInUse ? undefined : port);
  }));

  test.concurrent.each(WORKER_FALLBACKS)('workers: $value → warning, falls back to $workers', { timeout: 60_000 }, (c) => slot(async () => {
    tried.push(`workers ${JSON.stringify(c.value)}`);
    const root = makeServiceRoot({ serviceJson: routes({ workers: c.value }), entry: FIXTURE_ENTRY });
    const port = await freePort();
    const { svc, marker } = run(root, { env: { PORT: String(port) } });
    try {
      const warning = await svc.waitForLine((l) => l.type === 'config' && l.field === 'workers', 30_000);
      expect(warning.level).toBe('warn');
      expect(String(warning.message)).toMatch(c.says);
      const { line } = await svc.up(30_000);
      expect(line.workers).toBe(c.workers);
      expect(line.mode).toBe(c.workers === 1 ? 'single' : 'cluster');
      svc.kill('SIGTERM');
      expect((await svc.exited).code).toBe(15);
    } finally {
      svc.kill('SIGKILL');
      await svc.exited;
    }
    await expectNothingLeft(marker, port);
  }));
});
