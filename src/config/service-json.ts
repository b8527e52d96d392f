import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { configError, LifecycleErrors, type LifecycleError } from '../core/errors.js';
import { warn } from '../core/log.js';

/** A generous upper bound: a request timeout of more than an hour is a typo, not a plan. */
export const MAX_TIMEOUT_SECONDS = 3600;

export interface RouteDecl {
  path: string;
  public?: boolean;
}

/** The SDK's service.json; unknown keys pass through (it carries fields for other tools). */
export interface ServiceJson {
  stack?: string;
  memory?: number;
  ttl?: number;
  timeout?: number;
  /** Not validated here: an invalid value falls back to the CPU count (see workers.ts). */
  workers?: unknown;
  minReplicas?: number;
  maxReplicas?: number;
  deterministicVary?: boolean;
  routes?: Record<string, RouteDecl>;
  events?: Record<string, unknown>;
  [key: string]: unknown;
}

// Hand-written rather than zod: the schema is small, the messages are ours anyway, and zod cost
// single-process mode about 7 MiB RSS and 90 ms of CPU at boot (bench/NOTES.md).
interface Issue {
  path: string[];
  message: string;
}
type Rule = (value: unknown, path: string[]) => Issue[];

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const check = (ok: (v: unknown) => boolean, message: string): Rule => (v, path) => (ok(v) ? [] : [{ path, message }]);
const all = (...rules: Rule[]): Rule => (v, path) => {
  for (const rule of rules) {
    const issues = rule(v, path);
    if (issues.length) return issues;
  }
  return [];
};
const fields = (shape: Record<string, { rule: Rule; required?: boolean }>, message: string): Rule => (v, path) => {
  if (!isObject(v)) return [{ path, message }];
  return Object.entries(shape).flatMap(([key, { rule, required }]) => {
    const at = [...path, key];
    if (v[key] === undefined) return required ? rule(undefined, at) : [];
    return rule(v[key], at);
  });
};
const recordOf = (rule: Rule, message: string): Rule => (v, path) =>
  isObject(v) ? Object.entries(v).flatMap(([key, item]) => rule(item, [...path, key])) : [{ path, message }];

const positiveInt = (what: string) => check((v) => Number.isInteger(v) && (v as number) > 0, `expected ${what}`);
const boolean = check((v) => typeof v === 'boolean', 'expected true or false');
const TIMEOUT = `expected a number of seconds from 0 to ${MAX_TIMEOUT_SECONDS}`;

const routeRule = fields(
  {
    path: {
      required: true,
      rule: all(
        check((v) => typeof v === 'string', 'expected a path string such as "/hello/:name"'),
        check((v) => (v as string).startsWith('/'), 'expected a path starting with "/"'),
      ),
    },
    public: { rule: boolean },
  },
  'expected an object such as { "path": "/hello", "public": true }',
);

const serviceJsonRule = fields(
  {
    stack: { rule: check((v) => typeof v === 'string', 'expected a string such as "nodejs"') },
    memory: { rule: positiveInt('a positive integer of MiB such as 256') },
    ttl: { rule: positiveInt('a positive integer of minutes') },
    timeout: { rule: check((v) => typeof v === 'number' && v >= 0 && v <= MAX_TIMEOUT_SECONDS, TIMEOUT) },
    minReplicas: { rule: positiveInt('a positive integer') },
    maxReplicas: { rule: positiveInt('a positive integer') },
    deterministicVary: { rule: boolean },
    routes: { rule: recordOf(routeRule, 'expected an object of route id → { "path": … }') },
    events: { rule: check(isObject, 'expected an object of event id → settings') },
  },
  'expected a JSON object',
);

const show = (value: unknown) => {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

function valueAt(root: unknown, path: string[]): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/**
 * Where JSON.parse gave up, as "line L column C". Node 20's messages name a position only for some
 * errors, so find it ourselves: the shortest prefix that fails for a reason other than ending early.
 */
function jsonErrorLocation(text: string): string {
  const failsInside = (length: number) => {
    try {
      JSON.parse(text.slice(0, length));
      return false;
    } catch (err) {
      const message = (err as Error).message;
      const at = /at position (\d+)/.exec(message);
      return !/Unexpected end of JSON input/.test(message) && !(at && Number(at[1]) >= length);
    }
  };
  let lo = 1;
  let hi = text.length;
  if (!failsInside(hi)) lo = hi = text.length + 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (failsInside(mid)) hi = mid;
    else lo = mid + 1;
  }
  const pos = Math.min(lo - 1, text.length);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return pos >= text.length ? `unexpected end of file at line ${line} column ${column}` : `unexpected ${JSON.stringify(text[pos])} at line ${line} column ${column}`;
}

/** The keys service.json's rules know; others pass through (other tools read them). */
const KNOWN_KEYS = ['stack', 'memory', 'ttl', 'timeout', 'workers', 'minReplicas', 'maxReplicas', 'deterministicVary', 'routes', 'events'];

/**
 * An unknown key one typo away from a known one (`"route"`) is ignored like any other, but said.
 * The did-you-mean code is loaded only when there is an unknown key.
 */
export async function warnNearMisses(serviceJson: ServiceJson, file = 'service.json') {
  const unknown = Object.keys(serviceJson).filter((key) => !KNOWN_KEYS.includes(key));
  if (unknown.length === 0) return;
  const { didYouMean } = await import('../core/did-you-mean.js');
  for (const key of unknown) {
    const near = didYouMean(key, KNOWN_KEYS);
    if (near && !(near in serviceJson)) warn('config', { field: key, message: `${file}: unknown key "${key}" is ignored; did you mean "${near}"?` });
  }
}

export function parseServiceJson(text: string, file = 'service.json'): ServiceJson {
  if (text.trim() === '') {
    throw configError('service.json', `${file}: the file is empty; write a JSON object such as {"workers": 1, "routes": {}}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw configError('service.json', `${file}: invalid JSON, ${jsonErrorLocation(text)}; fix the syntax there`);
  }
  return validateServiceJson(raw, file);
}

/** Checks a parsed service.json (read from `file`, or given by an app's own config source). */
export function validateServiceJson(raw: unknown, file = 'service.json'): ServiceJson {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw configError('service.json', `${file}: expected a JSON object at the top level, got ${show(raw)}`);
  }
  const issues = serviceJsonRule(raw, []);
  if (issues.length === 0) return raw as ServiceJson;
  const problems: LifecycleError[] = issues.map((issue) => {
    const field = issue.path.join('.');
    const value = valueAt(raw, issue.path);
    const got = value === undefined ? 'missing' : `is ${show(value)}`;
    return configError(field, `${file}: "${field}" ${got}; ${issue.message}`);
  });
  throw problems.length === 1 ? problems[0]! : new LifecycleErrors(problems);
}

/** Reads and validates `<root>/<name>` (default `service.json`). */
export async function loadServiceJson(root: string, name = 'service.json'): Promise<ServiceJson> {
  const file = join(root, name);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const rootIs = await stat(root).then((s) => (s.isDirectory() ? 'folder' : 'file'), () => 'missing');
    if (rootIs === 'missing') throw configError('service.json', `${root}: no such folder; pass the service root, the folder that holds service.json`);
    if (rootIs === 'file') throw configError('service.json', `${root} is a file, not a folder; pass the folder that holds service.json (e.g. ${dirname(root)})`);
    if (code === 'ENOENT') {
      throw configError('service.json', `${file}: not found; create it (e.g. {"workers": 1, "routes": {}}) or pass the service root`);
    }
    throw configError('service.json', `${file}: cannot be read (${code}); check its permissions`);
  }
  const serviceJson = parseServiceJson(text, file);
  await warnNearMisses(serviceJson, file);
  return serviceJson;
}
