import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { configError, LifecycleErrors, type LifecycleError } from '../errors.js';

/** A generous upper bound: a request timeout of more than an hour is a typo, not a plan. */
export const MAX_TIMEOUT_SECONDS = 3600;

const positiveInt = (what: string) =>
  z.number({ error: `expected ${what}` }).int({ error: `expected ${what}` }).positive({ error: `expected ${what}` });

const routeSchema = z.object(
  {
    path: z.string({ error: 'expected a path string such as "/hello/:name"' }).startsWith('/', {
      error: 'expected a path starting with "/"',
    }),
    public: z.boolean({ error: 'expected true or false' }).optional(),
  },
  { error: 'expected an object such as { "path": "/hello", "public": true }' },
);

// Unknown keys pass through: service.json carries fields for other tools (policies, settings…).
export const serviceJsonSchema = z.looseObject({
  stack: z.string({ error: 'expected a string such as "nodejs"' }).optional(),
  memory: positiveInt('a positive integer of MiB such as 256').optional(),
  ttl: positiveInt('a positive integer of minutes').optional(),
  timeout: z
    .number({ error: `expected a number of seconds from 0 to ${MAX_TIMEOUT_SECONDS}` })
    .min(0, { error: `expected a number of seconds from 0 to ${MAX_TIMEOUT_SECONDS}` })
    .max(MAX_TIMEOUT_SECONDS, { error: `expected a number of seconds from 0 to ${MAX_TIMEOUT_SECONDS}` })
    .optional(),
  // Not validated here: an invalid value falls back to the CPU count (see workers.ts).
  workers: z.unknown().optional(),
  minReplicas: positiveInt('a positive integer').optional(),
  maxReplicas: positiveInt('a positive integer').optional(),
  deterministicVary: z.boolean({ error: 'expected true or false' }).optional(),
  routes: z.record(z.string(), routeSchema, { error: 'expected an object of route id → { "path": … }' }).optional(),
  events: z.record(z.string(), z.unknown(), { error: 'expected an object of event id → settings' }).optional(),
});

export type ServiceJson = z.infer<typeof serviceJsonSchema>;
export type RouteDecl = z.infer<typeof routeSchema>;

const show = (value: unknown) => {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
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
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw configError('service.json', `${file}: expected a JSON object at the top level, got ${show(raw)}`);
  }
  const result = serviceJsonSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems: LifecycleError[] = result.error.issues.map((issue) => {
    const field = issue.path.map(String).join('.');
    const value = valueAt(raw, issue.path);
    const got = value === undefined ? 'missing' : `is ${show(value)}`;
    return configError(field, `${file}: "${field}" ${got}; ${issue.message}`);
  });
  throw problems.length === 1 ? problems[0]! : new LifecycleErrors(problems);
}

export async function loadServiceJson(root: string): Promise<ServiceJson> {
  const file = join(root, 'service.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw configError('service.json', `${file}: not found; create it (e.g. {"workers": 1, "routes": {}}) or pass the service root`);
    }
    throw configError('service.json', `${file}: cannot be read (${code}); check its permissions`);
  }
  return parseServiceJson(text, file);
}
