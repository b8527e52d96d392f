import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadServiceJson, parseServiceJson } from '../../src/config/service-json.js';
import { LifecycleError, LifecycleErrors } from '../../src/core/errors.js';
import { EXIT } from '../../src/core/exit-codes.js';

/** The error parseServiceJson throws for this input (fails the test if it does not throw). */
function problemWith(input: unknown): LifecycleError {
  const text = typeof input === 'string' ? input : JSON.stringify(input);
  try {
    parseServiceJson(text);
  } catch (err) {
    expect(err).toBeInstanceOf(LifecycleError);
    return err as LifecycleError;
  }
  throw new Error(`accepted ${text}`);
}

describe('service.json: a valid file', () => {
  test('keeps the SDK schema, every field', () => {
    const full = {
      stack: 'nodejs',
      memory: 256,
      ttl: 10,
      timeout: 2.5,
      workers: 2,
      minReplicas: 2,
      maxReplicas: 4,
      deterministicVary: true,
      routes: { hello: { path: '/hello/:name', public: true }, private: { path: '/p' } },
      events: { onSkuChange: { sender: 'vtex.catalog', keys: ['sku'] } },
    };
    expect(parseServiceJson(JSON.stringify(full))).toEqual(full);
  });

  test('an empty object is enough, and fields for other tools pass through', () => {
    expect(parseServiceJson('{}')).toEqual({});
    expect(parseServiceJson('{"policies": [{"name": "x"}]}')).toEqual({ policies: [{ name: 'x' }] });
  });

  test('timeout 0 and 3600 are the bounds', () => {
    expect(parseServiceJson('{"timeout": 0}').timeout).toBe(0);
    expect(parseServiceJson('{"timeout": 3600}').timeout).toBe(3600);
  });

  test('workers is not validated here: any value reaches worker resolution', () => {
    for (const workers of ['x', 0, -1, 1.5, null, '2']) {
      expect(parseServiceJson(JSON.stringify({ workers })).workers).toEqual(workers);
    }
  });
});

describe('service.json: one line per problem naming the field, the value and what is allowed', () => {
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['stack not a string', { stack: 1 }, 'stack', /"stack" is 1; expected a string/],
    ['memory fractional', { memory: 1.5 }, 'memory', /"memory" is 1\.5; expected a positive integer of MiB/],
    ['memory zero', { memory: 0 }, 'memory', /"memory" is 0; expected a positive integer/],
    ['memory a string', { memory: '256' }, 'memory', /"memory" is "256"; expected a positive integer/],
    ['ttl negative', { ttl: -1 }, 'ttl', /"ttl" is -1; expected a positive integer of minutes/],
    ['timeout negative', { timeout: -1 }, 'timeout', /"timeout" is -1; expected a number of seconds from 0 to 3600/],
    ['timeout too large', { timeout: 3601 }, 'timeout', /"timeout" is 3601; expected a number of seconds from 0 to 3600/],
    ['timeout a string', { timeout: '10' }, 'timeout', /"timeout" is "10"; expected a number of seconds/],
    ['minReplicas zero', { minReplicas: 0 }, 'minReplicas', /"minReplicas" is 0; expected a positive integer/],
    ['maxReplicas a string', { maxReplicas: 'a' }, 'maxReplicas', /"maxReplicas" is "a"; expected a positive integer/],
    ['deterministicVary a string', { deterministicVary: 'true' }, 'deterministicVary', /"deterministicVary" is "true"; expected true or false/],
    ['routes an array', { routes: [] }, 'routes', /"routes" is \[\]; expected an object of route id/],
    ['routes null', { routes: null }, 'routes', /"routes" is null; expected an object of route id/],
    ['a route given as a bare path', { routes: { a: '/a' } }, 'routes.a', /"routes\.a" is "\/a"; expected an object such as \{ "path"/],
    ['a route without path', { routes: { a: {} } }, 'routes.a.path', /"routes\.a\.path" missing; expected a path string/],
    ['a route path without leading slash', { routes: { a: { path: 'a' } } }, 'routes.a.path', /"routes\.a\.path" is "a"; expected a path starting with "\/"/],
    ['a route public not boolean', { routes: { a: { path: '/a', public: 'yes' } } }, 'routes.a.public', /"routes\.a\.public" is "yes"; expected true or false/],
    ['events an array', { events: [] }, 'events', /"events" is \[\]; expected an object of event id/],
    ['events a string', { events: 'x' }, 'events', /"events" is "x"; expected an object of event id/],
  ];
  test.each(cases)('%s', (_name, input, field, message) => {
    const problem = problemWith(input);
    expect(problem.field).toBe(field);
    expect(problem.exitCode).toBe(EXIT.BOOT_FAILED);
    expect(problem.message).toMatch(/^service\.json: /);
    expect(problem.message).toMatch(message);
    expect(problem.message).not.toContain('\n');
  });

  test('a long bad value is shortened, so the line stays readable', () => {
    const problem = problemWith({ stack: ['x'.repeat(200)] });
    expect(problem.message.length).toBeLessThan(160);
    expect(problem.message).toContain('...');
  });

  test('several bad fields give one line each, all reported at once', () => {
    const problem = problemWith({ memory: 'x', ttl: 'y', routes: { a: { path: 'a' } } });
    expect(problem).toBeInstanceOf(LifecycleErrors);
    const problems = (problem as LifecycleErrors).problems;
    expect(problems.map((p) => p.field)).toEqual(['memory', 'ttl', 'routes.a.path']);
    for (const p of problems) {
      expect(p.exitCode).toBe(EXIT.BOOT_FAILED);
      expect(p.message).not.toContain('\n');
    }
    expect(problem.message.split('\n')).toEqual(problems.map((p) => p.message));
  });
});

describe('service.json: not a JSON object at all', () => {
  test('an empty or blank file says so', () => {
    for (const text of ['', '  \n']) expect(problemWith(text).message).toMatch(/the file is empty; write a JSON object/);
  });

  test('a syntax error names the line and column', () => {
    expect(problemWith('{"a": 1,}').message).toBe('service.json: invalid JSON, unexpected "}" at line 1 column 9; fix the syntax there');
    expect(problemWith('{\n  "a": 1\n  "b": 2\n}').message).toMatch(/invalid JSON, unexpected "\\"" at line 3 column 3/);
    expect(problemWith('{"a": 1').message).toMatch(/invalid JSON, unexpected end of file at line 1 column 8/);
  });

  test('a top-level value other than an object is named', () => {
    expect(problemWith('[1]').message).toBe('service.json: expected a JSON object at the top level, got [1]');
    expect(problemWith('null').message).toMatch(/got null$/);
    expect(problemWith('12').message).toMatch(/got 12$/);
  });

  test('every one of these is a boot failure on field "service.json"', () => {
    for (const text of ['', '{', '[]']) {
      const problem = problemWith(text);
      expect(problem.field).toBe('service.json');
      expect(problem.exitCode).toBe(EXIT.BOOT_FAILED);
      expect(problem.message).not.toContain('\n');
    }
  });
});

describe('loadServiceJson reads <root>/service.json', () => {
  test('reads and validates the file, naming its path in errors', async () => {
    const root = mkdtempSync(join(tmpdir(), 'svc-json-'));
    writeFileSync(join(root, 'service.json'), '{"workers": 1, "memory": -5}');
    await expect(loadServiceJson(root)).rejects.toThrow(`${join(root, 'service.json')}: "memory" is -5; expected a positive integer`);
    writeFileSync(join(root, 'service.json'), '{"workers": 1}');
    await expect(loadServiceJson(root)).resolves.toEqual({ workers: 1 });
  });

  test('a missing file is a boot failure that says how to fix it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'svc-json-'));
    const err = await loadServiceJson(root).catch((e: LifecycleError) => e);
    expect(err).toBeInstanceOf(LifecycleError);
    expect((err as LifecycleError).exitCode).toBe(EXIT.BOOT_FAILED);
    expect((err as LifecycleError).message).toMatch(/service\.json: not found; create it/);
  });
});
