import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { request } from '../helpers/http.js';
import { wrappers } from './dockerfile.js';
import { fixtureServiceJson } from '../helpers/fixture.js';
import { CLI, makeServiceRoot, REPO, trackServices } from '../helpers/service.js';

const HELLO = join(REPO, 'examples/hello');

/** `service-lifecycle manifest …` run to completion (the compiled CLI, as users run it). */
function manifest(...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, 'manifest', ...args], { encoding: 'utf8', timeout: 10_000 });
  const docs = result.status === 0 ? parseAllDocuments(result.stdout).map((d) => d.toJS()) : [];
  const byKind = (kind: string) => docs.find((d) => d.kind === kind);
  const errors = result.stderr.split('\n').filter(Boolean).map((line) => JSON.parse(line));
  return { status: result.status, stdout: result.stdout, errors, byKind, container: () => byKind('Deployment').spec.template.spec.containers[0] };
}

const services = trackServices();
afterEach(() => services.cleanup());

describe('manifest examples/hello', () => {
  const out = manifest(HELLO);
  const helloJson = JSON.parse(readFileSync(join(HELLO, 'service.json'), 'utf8'));

  it('matches the committed deploy/hello.yaml (regenerate: node dist/src/cli/main.js manifest examples/hello > deploy/hello.yaml)', () => {
    expect(out.status).toBe(0);
    expect(out.stdout).toBe(readFileSync(join(REPO, 'deploy/hello.yaml'), 'utf8'));
  });

  it('gives the pod more grace than preStop + the drain deadline, and sleeps in preStop', () => {
    const spec = out.byKind('Deployment').spec.template.spec;
    const preStop = out.container().lifecycle.preStop.sleep.seconds;
    const drainDeadline = Math.max(30, helloJson.timeout);
    expect(preStop).toBeGreaterThan(0);
    expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(preStop + drainDeadline);
  });

  it('starts the CLI directly: node, the CLI script, start, no shell', () => {
    const { command, args } = out.container();
    expect(args).toBeUndefined();
    expect(command[0]).toBe('node');
    expect(command[1]).toMatch(/\/service-lifecycle\/dist\/src\/cli\/main\.js$/);
    expect(command[2]).toBe('start');
    expect(wrappers(command)).toEqual([]);
  });

  it('sets memory from service.json, a CPU per worker, PORT and a keep-alive above the LB idle timeout', () => {
    const { resources, env, ports } = out.container();
    expect(resources.limits.memory).toBe(`${helloJson.memory}Mi`);
    expect(resources.requests.memory).toBe(`${helloJson.memory}Mi`);
    expect(resources.requests.cpu).toBe(String(helloJson.workers));
    const vars = Object.fromEntries(env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(vars.PORT).toBe(String(ports[0].containerPort));
    expect(Number(vars.KEEP_ALIVE_TIMEOUT_MS)).toBeGreaterThan(60_000);
  });

  it('scales from service.json minReplicas/maxReplicas, at least 2, one voluntary disruption at a time', () => {
    const hpa = out.byKind('HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.minReplicas).toBe(helloJson.minReplicas);
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.maxReplicas).toBe(helloJson.maxReplicas);
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'hello' });
    expect(out.byKind('Deployment').spec.replicas).toBeUndefined();
    const pdb = out.byKind('PodDisruptionBudget');
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(pdb.spec.maxUnavailable).toBe(1);
    expect(pdb.spec.selector.matchLabels).toEqual(out.byKind('Deployment').spec.template.metadata.labels);
  });

  it('probes paths the running service answers: 200 while serving, readiness 503 while draining', async () => {
    const { readinessProbe, livenessProbe } = out.container();
    const svc = services.start(HELLO, { env: { SHUTDOWN_DELAY_MS: '3000' } });
    const { port } = await svc.up();
    for (const probe of [readinessProbe, livenessProbe]) {
      expect(probe.httpGet.port).toBe('http');
      expect((await request(port, probe.httpGet.path)).status).toBe(200);
    }
    svc.kill('SIGTERM');
    await svc.waitForLine((l) => l.type === 'draining');
    expect((await request(port, readinessProbe.httpGet.path)).status).toBe(503);
  });
});

describe('manifest flags and service.json', () => {
  it('derives the CPU request from the resolved workers; without "workers" it needs --cpus', () => {
    const root = makeServiceRoot({ serviceJson: fixtureServiceJson(1, { workers: undefined, memory: 512 }) });
    const missing = manifest(root);
    expect(missing.status).toBe(64);
    expect(missing.errors[0].message).toMatch(/--cpus/);
    expect(manifest(root, '--cpus', '2').container().resources.requests.cpu).toBe('2');
    expect(manifest(root, '--cpus', '16').container().resources.requests.cpu).toBe('4');
  });

  it('keeps service.json minReplicas 1 (with a warning) and defaults the minimum to 2', () => {
    const one = manifest(makeServiceRoot({ serviceJson: fixtureServiceJson(1, { minReplicas: 1, memory: 128 }) }));
    expect(one.byKind('HorizontalPodAutoscaler').spec.minReplicas).toBe(1);
    expect(one.errors.some((l) => l.level === 'warn' && /minReplicas/.test(l.message))).toBe(true);
    const unset = manifest(makeServiceRoot({ serviceJson: fixtureServiceJson(1, { memory: 128 }) }));
    expect(unset.byKind('HorizontalPodAutoscaler').spec).toMatchObject({ minReplicas: 2, maxReplicas: 10 });
  });

  it('takes name, image, port, preStop and LB idle timeout from flags', () => {
    const out = manifest(HELLO, '--name', 'greeter', '--image', 'registry.example.com/greeter:1.2.3', '--port', '8080', '--prestop-seconds', '15', '--lb-idle-timeout', '350');
    const container = out.container();
    expect(out.byKind('Deployment').metadata.name).toBe('greeter');
    expect(out.byKind('Service').spec.selector).toEqual({ 'app.kubernetes.io/name': 'greeter' });
    expect(container.image).toBe('registry.example.com/greeter:1.2.3');
    expect(container.ports[0].containerPort).toBe(8080);
    expect(container.lifecycle.preStop.sleep.seconds).toBe(15);
    expect(out.byKind('Deployment').spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(15 + 30);
    expect(container.env).toContainEqual({ name: 'KEEP_ALIVE_TIMEOUT_MS', value: '355000' });
  });

  it.each([
    [['--port', '0']],
    [['--port', 'http']],
    [['--name', 'Hello_World']],
    [['--image', '']],
    [['--prestop-seconds', '-1']],
    [['--lb-idle-timeout', '3600']],
    [['--replicas', '3']],
    [['one', 'two']],
  ])('rejects %j with one usage line, exit 64', (args) => {
    const out = manifest(...(args[0] === 'one' ? args : [HELLO, ...args]));
    expect(out.status).toBe(64);
    expect(out.stdout).toBe('');
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatchObject({ level: 'error', type: 'usage' });
  });

  it('reports a bad service.json with the config errors, exit 78', () => {
    const bad = manifest(makeServiceRoot({ serviceJson: fixtureServiceJson(1, { memory: '256MB' }) }));
    expect(bad.status).toBe(78);
    expect(bad.stdout).toBe('');
    expect(bad.errors[0]).toMatchObject({ type: 'manifest-failed', field: 'memory' });
    const bounds = manifest(makeServiceRoot({ serviceJson: fixtureServiceJson(1, { minReplicas: 5, maxReplicas: 3 }) }));
    expect(bounds.status).toBe(78);
    expect(bounds.errors[0]).toMatchObject({ field: 'maxReplicas' });
    expect(manifest(makeServiceRoot({})).status).toBe(78);
  });
});
