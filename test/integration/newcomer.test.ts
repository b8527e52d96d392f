/**
 * The first steps of someone who never saw this repository, as the README gives them: the package
 * installed from its tarball into a project made by `npm init -y`, the README's own `index.js`, and
 * the switches a newcomer reaches for (WORKERS, an access log, linked mode with workers: 2).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { request } from '../helpers/http.js';
import { projectWithPackage } from '../helpers/packed.js';
import { freePort } from '../../support/ports.js';
import { childPids } from '../../support/proc.js';
import { fixtureRoot } from '../helpers/fixture.js';
import { REPO, trackServices } from '../helpers/service.js';

const services = trackServices();
afterEach(() => services.cleanup());

/** The code block of README.md that starts with `// <name>`. */
function readmeBlock(name: string): string {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```\w*\n([\s\S]*?)```/g)].map((m) => m[1]!).find((text) => text.startsWith(`// ${name}\n`));
  if (!block) throw new Error(`README.md has no code block starting with "// ${name}"`);
  return block;
}

describe('the README example in a project made by `npm init -y`', () => {
  let project: string;
  beforeAll(() => {
    project = projectWithPackage({ init: true });
    writeFileSync(join(project, 'service.json'), JSON.stringify({ workers: 1, routes: { hello: { path: '/hello/:name' } } }));
    writeFileSync(join(project, 'index.js'), readmeBlock('index.js'));
  }, 120_000);

  test('as npm left it ("type": "commonjs"): exit 78 with one line naming package.json and both fixes', async () => {
    const svc = services.start(project, { command: [join(project, 'node_modules/.bin/service-lifecycle'), 'start', '.'], cwd: project });
    expect((await svc.exited).code).toBe(78);
    const line = svc.lines.find((l) => l.type === 'boot-failed')!;
    expect(line.message).toBe(
      `${join(project, 'index.js')}: failed to load: SyntaxError: Cannot use import statement outside a module; ` +
        `${join(project, 'package.json')} makes .js files CommonJS ("type": "commonjs"): set "type": "module" there, or rename the entry to index.mjs`,
    );
  });

  test('after `npm pkg set type=module`, as the README says: it serves', async () => {
    execFileSync('npm', ['pkg', 'set', 'type=module'], { cwd: project });
    const svc = services.start(project, { command: [join(project, 'node_modules/.bin/service-lifecycle'), 'start', '.'], cwd: project });
    const { port, line } = await svc.up();
    expect(line).toMatchObject({ mode: 'single', workersFrom: 'service.json' });
    expect(JSON.parse((await request(port, '/hello/ada')).body)).toEqual({ hello: 'ada' });
    await svc.waitForLine((l) => l.type === 'log-once' && l.message === 'hello was called');
    svc.kill('SIGTERM');
    expect((await svc.exited).code).toBe(15);
  });
});

describe('WORKERS', () => {
  test('WORKERS=2 over "workers": 1 forks two workers, and the up line says WORKERS won', async () => {
    const svc = services.start(fixtureRoot(1), { env: { WORKERS: '2' } });
    const { line } = await svc.up();
    expect(line).toMatchObject({ mode: 'cluster', workers: 2, workersFrom: 'WORKERS' });
    await expect.poll(() => childPids(svc.child.pid!).length).toBe(2);
  });

  test('WORKERS=1 over "workers": 2 serves in one process', async () => {
    const svc = services.start(fixtureRoot(2), { env: { WORKERS: '1' } });
    const { line } = await svc.up();
    expect(line).toMatchObject({ mode: 'single', workers: 1, workersFrom: 'WORKERS' });
    expect(childPids(svc.child.pid!)).toEqual([]);
  });

  test('linked mode with "workers": 2 runs one process and says why in a warning and the up line', async () => {
    const svc = services.start(fixtureRoot(2), { env: { SERVICE_LINKED: '1', INSPECT_PORT: String(await freePort()) } });
    const { line } = await svc.up();
    expect(line).toMatchObject({ mode: 'single', workers: 1, workersFrom: 'linked mode' });
    const warning = svc.lines.find((l) => l.type === 'config' && l.field === 'workers');
    expect(warning?.message).toBe('service.json "workers": 2 is ignored in linked mode, which runs one process (debugger on it)');
  });
});

test('LIFECYCLE_ACCESS_LOG=1: one access line per response; off by default', async () => {
  const root = fixtureRoot(1);
  const on = services.start(root, { env: { LIFECYCLE_ACCESS_LOG: '1' } });
  const { port } = await on.up();
  await request(port, '/hello?x=1');
  await request(port, '/nowhere');
  await on.waitForLine(() => on.lines.filter((l) => l.type === 'access').length === 2);
  expect(on.lines.filter((l) => l.type === 'access').map(({ method, path, status }) => ({ method, path, status }))).toEqual([
    { method: 'GET', path: '/hello?x=1', status: 200 },
    { method: 'GET', path: '/nowhere', status: 404 },
  ]);
  const off = services.start(root);
  const offPort = (await off.up()).port;
  await request(offPort, '/hello');
  off.kill('SIGTERM');
  await off.exited;
  expect(off.lines.filter((l) => l.type === 'access')).toEqual([]);
});
