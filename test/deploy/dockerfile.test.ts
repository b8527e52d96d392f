import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { IMAGE_LAYOUT } from '../../src/deploy/image-layout.js';
import { REPO } from '../helpers/service.js';
import { execForm, parseDockerfile, wrappers } from './dockerfile.js';

// No container engine on the test machine: check the Dockerfile's invariants by reading it.
const instructions = parseDockerfile(readFileSync(join(REPO, 'examples/hello/Dockerfile'), 'utf8'));
const lastStage = Math.max(...instructions.map((i) => i.stage));
const runtime = instructions.filter((i) => i.stage === lastStage);
const only = (keyword: string) => {
  const found = runtime.filter((i) => i.keyword === keyword);
  expect(found, `one ${keyword} in the runtime stage`).toHaveLength(1);
  return found[0]!.args;
};
const committedDeployment = () => {
  const docs = parseAllDocuments(readFileSync(join(REPO, 'deploy/hello.yaml'), 'utf8')).map((d) => d.toJS());
  return docs.find((d) => d.kind === 'Deployment').spec.template.spec.containers[0];
};

describe('examples/hello/Dockerfile', () => {
  it('is multi-stage: npm ci and the build happen before the runtime stage, which installs nothing', () => {
    expect(lastStage).toBeGreaterThanOrEqual(1);
    expect(instructions.some((i) => i.stage < lastStage && i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args))).toBe(true);
    expect(runtime.filter((i) => i.keyword === 'RUN' && /\bnpm\b/.test(i.args))).toEqual([]);
    expect(runtime.some((i) => i.keyword === 'COPY' && i.args.startsWith('--from='))).toBe(true);
  });

  it('runs as a non-root user', () => {
    const users = runtime.filter((i) => i.keyword === 'USER');
    expect(users.length).toBeGreaterThan(0);
    const user = users.at(-1)!.args.split(':')[0];
    expect(['root', '0', '']).not.toContain(user);
  });

  it('starts node directly in exec form: node is PID 1 and gets SIGTERM, no shell or npm in between', () => {
    const entrypoint = execForm(only('ENTRYPOINT'));
    const cmd = execForm(only('CMD'));
    expect(entrypoint, 'ENTRYPOINT in exec form (a JSON array)').toBeDefined();
    expect(cmd, 'CMD in exec form (a JSON array)').toBeDefined();
    const command = [...entrypoint!, ...cmd!];
    expect(command[0]).toBe('node');
    expect(wrappers(command)).toEqual([]);
    expect(runtime.filter((i) => i.keyword === 'STOPSIGNAL' && i.args !== 'SIGTERM')).toEqual([]);
  });

  it('runs the same command, port and layout as the committed manifest', () => {
    const container = committedDeployment();
    const command = [...execForm(only('ENTRYPOINT'))!, ...execForm(only('CMD'))!];
    expect(container.command).toEqual(command);
    expect(only('EXPOSE')).toBe(String(container.ports[0].containerPort));
    const copies = runtime.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies.some((args) => args.endsWith(` ${IMAGE_LAYOUT.packageDir}/dist`))).toBe(true);
    expect(copies.some((args) => args.includes('examples/hello/service.json') && args.endsWith(` ${IMAGE_LAYOUT.serviceDir}/`))).toBe(true);
    expect(command.slice(1)).toEqual([IMAGE_LAYOUT.cli, 'start', IMAGE_LAYOUT.serviceDir]);
  });
});
