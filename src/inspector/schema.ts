/**
 * What a publisher (one of our processes) may send, checked before anything else reads it:
 * `validate` returns undefined for a good message, else a short reason, and never throws. The
 * limits are generous for what the lifecycle sends (its largest message is about 4 KB: the root
 * actor with its machine definition) and tight for anything else.
 */

export { MAX_PUBLISHER_MESSAGE } from './publisher-messages.js';
/** Viewers send nothing; anything they send closes them. */
export const MAX_VIEWER_MESSAGE = 1024;

type Json = Record<string, unknown>;

const isInt = (v: unknown, min: number, max: number): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const isStr = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const SESSION = /^(\d{1,10}):x:\d{1,9}$/;
const ROLE = /^[a-z][a-z-]{0,31}$/;
const SIGNAL = /^SIG[A-Z0-9]{1,12}$/;
const STATUSES = ['active', 'done', 'error', 'stopped'];

/** An xstate state value: `'boot'` or `{ servingInline: 'starting' }`, nested and bounded. */
export function isStateValue(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return v.length > 0 && v.length <= 128;
  if (!isObj(v) || depth >= 8) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys.length <= 32 && keys.every((k) => k.length <= 128 && isStateValue(v[k], depth + 1));
}

/** Absent, or an actor id of this publisher's own (ids carry the pid: `1234:x:0`). */
function ownsId(id: unknown, pid: number): boolean {
  if (id === undefined) return true;
  const match = typeof id === 'string' ? SESSION.exec(id) : null;
  return match !== null && Number(match[1]) === pid;
}

function validateHello(msg: Json): string | undefined {
  if (msg.v !== 1) return 'unknown hello version';
  if (!isInt(msg.pid, 1, 2 ** 31) || !isInt(msg.ppid, 0, 2 ** 31)) return 'bad pid';
  if (!isStr(msg.role, 32) || !ROLE.test(msg.role)) return 'bad role';
  if (msg.slot !== undefined && !isInt(msg.slot, 0, 4095)) return 'bad slot';
  if (!isInt(msg.startedAt, 0, 2 ** 53)) return 'bad startedAt';
  return undefined;
}

function validateWorkerReport(msg: Json): string | undefined {
  if (!isInt(msg.slot, 0, 4095) || !isInt(msg.workerPid, 1, 2 ** 31)) return 'bad worker report';
  if (msg.type !== '@lifecycle.worker-exit') return undefined;
  if (msg.code !== null && !isInt(msg.code, 0, 255)) return 'bad exit code';
  if (msg.signal !== null && !(isStr(msg.signal, 16) && SIGNAL.test(msg.signal))) return 'bad signal';
  return undefined;
}

function validateInspection(msg: Json, pid: number): string | undefined {
  if (msg.sessionId === undefined || !ownsId(msg.sessionId, pid)) return 'sessionId is not this process’s';
  for (const key of ['rootId', 'parentId', 'sourceId']) if (!ownsId(msg[key], pid)) return `${key} is not this process’s`;
  if (msg.createdAt !== undefined && !(isStr(msg.createdAt, 20) && /^\d+$/.test(msg.createdAt))) return 'bad createdAt';
  if (msg.type === '@xstate.actor') {
    if (msg.name !== undefined && !isStr(msg.name, 256)) return 'bad actor name';
    if (msg.definition !== undefined && !isStr(msg.definition, 256 * 1024)) return 'bad definition';
    return undefined;
  }
  if (!isObj(msg.event) || !isStr(msg.event.type, 256)) return 'bad event';
  if (msg.type !== '@xstate.snapshot') return undefined;
  const snapshot = msg.snapshot;
  if (!isObj(snapshot)) return 'bad snapshot';
  if (snapshot.status !== undefined && !STATUSES.includes(snapshot.status as string)) return 'bad snapshot status';
  if (snapshot.value !== undefined && !isStateValue(snapshot.value)) return 'bad state value';
  if (snapshot.context !== undefined && !isObj(snapshot.context)) return 'bad context';
  if (isObj(snapshot.context) && snapshot.context.exitCode !== undefined && !isInt(snapshot.context.exitCode, 0, 255)) return 'bad exitCode';
  return undefined;
}

/** `pid`: the publisher's, once its hello was accepted. */
export function validate(msg: unknown, pid: number | undefined): string | undefined {
  if (!isObj(msg) || typeof msg.type !== 'string') return 'not an object with a type';
  if (msg.type === '@lifecycle.process') return pid === undefined ? validateHello(msg) : 'hello sent twice';
  if (pid === undefined) return 'first message must be @lifecycle.process';
  switch (msg.type) {
    case '@lifecycle.worker-fork':
    case '@lifecycle.worker-exit':
      return validateWorkerReport(msg);
    case '@xstate.actor':
    case '@xstate.event':
    case '@xstate.snapshot':
      return validateInspection(msg, pid);
    default:
      return 'unknown message type';
  }
}
