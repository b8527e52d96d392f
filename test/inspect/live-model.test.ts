/** The relay's live model and message schema, without sockets: what the page is told, in order. */
import { expect, test } from 'vitest';
import { LiveModel, MAX_ENDED, type Publisher } from '../../src/inspector/live-model.js';
import type { LiveDelta, LiveProcess } from '../../src/inspector/page/live-types.js';
import type { ProcessHello } from '../../src/inspector/publisher-messages.js';
import { validate } from '../../src/inspector/schema.js';

const snap = (pid: number, value: unknown, event: string, more: Record<string, unknown> = {}) => ({
  type: '@xstate.snapshot',
  sessionId: `${pid}:x:0`,
  rootId: `${pid}:x:0`,
  event: { type: event },
  snapshot: { status: 'active', value, context: {}, ...more },
  createdAt: '1000',
});
const hello = (pid: number, more: Partial<ProcessHello> = {}): ProcessHello => ({ type: '@lifecycle.process', v: 1, pid, ppid: 1, role: 'main', startedAt: 1, ...more });

function model() {
  const deltas: LiveDelta[] = [];
  const m = new LiveModel((d) => deltas.push(d));
  const processes = () => new Map(m.snapshot().processes.map((p) => [p.pid, p]));
  const process = (pid: number) => processes().get(pid) as LiveProcess;
  const kinds = () => m.snapshot().log.map((e) => (e.kind === 'transition' ? `${e.from}→${e.to}` : `${e.kind} ${e.pid}`));
  return { m, deltas, processes, process, kinds };
}

test('transitions, then a final snapshot: one exit entry with the exit code', () => {
  const { m, process, kinds } = model();
  const c: Publisher = {};
  m.hello(c, hello(10));
  for (const [value, event] of [['boot', 'xstate.init'], [{ servingInline: 'serving' }, 'x'], ['draining', 'signal.SIGTERM']] as const) m.inspection(c, snap(10, value, event));
  m.inspection(c, snap(10, 'exited', 'xstate.done.actor.runDrain', { status: 'done', context: { exitCode: 15 } }));
  m.closed(c);
  expect(process(10)).toMatchObject({ state: 'exited', status: 'exited', exitCode: 15 });
  expect(kinds()).toEqual(['null→boot', 'boot→servingInline.serving', 'servingInline.serving→draining', 'draining→exited', 'exit 10']);
});

test('a SIGKILLed worker: its primary’s report says so; no "lost" while the primary is there to report', () => {
  const { m, process, kinds } = model();
  const primary: Publisher = {};
  const worker: Publisher = {};
  m.hello(primary, hello(20));
  m.forked(primary, { type: '@lifecycle.worker-fork', slot: 0, workerPid: 21 });
  expect(process(21)).toMatchObject({ status: 'forked', slot: 0, ppid: 20 });
  m.hello(worker, hello(21, { role: 'worker', ppid: 20, slot: 0 }));
  m.inspection(worker, snap(21, { servingInline: 'serving' }, 'x'));
  m.closed(worker);
  expect(process(21).status).toBe('live');
  m.workerExited(primary, { type: '@lifecycle.worker-exit', slot: 0, workerPid: 21, code: null, signal: 'SIGKILL' });
  expect(process(21)).toMatchObject({ status: 'exited', signal: 'SIGKILL', state: 'servingInline.serving' });
  expect(kinds()).toEqual(['fork 21', 'null→servingInline.serving', 'exit 21']);
});

test('a drained worker keeps its own exit entry; the primary’s report adds none', () => {
  const { m, kinds } = model();
  const primary: Publisher = {};
  const worker: Publisher = {};
  m.hello(primary, hello(40));
  m.hello(worker, hello(41, { role: 'worker', ppid: 40, slot: 1 }));
  m.inspection(worker, snap(41, 'exited', 'x', { status: 'done', context: { exitCode: 15 } }));
  m.workerExited(primary, { type: '@lifecycle.worker-exit', slot: 1, workerPid: 41, code: 15, signal: null });
  expect(kinds()).toEqual(['null→exited', 'exit 41']);
});

test('a process whose connection ends without a final state is lost, and so are its workers that never connected', () => {
  const { m, process } = model();
  const primary: Publisher = {};
  m.hello(primary, hello(30));
  m.forked(primary, { type: '@lifecycle.worker-fork', slot: 1, workerPid: 31 });
  m.closed(primary);
  expect([process(30).status, process(31).status]).toEqual(['lost', 'lost']);
});

test('a reconnect (a relay or a connection that came back) keeps what is known of the process', () => {
  const { m, process } = model();
  const first: Publisher = {};
  m.hello(first, hello(50, { startedAt: 5 }));
  m.inspection(first, snap(50, 'boot', 'x'));
  m.closed(first);
  const again: Publisher = {};
  m.hello(again, hello(50, { startedAt: 5 }));
  expect(process(50)).toMatchObject({ status: 'live', state: 'boot' });
});

test('ended processes are bounded (a crash loop forks many)', () => {
  const { m, processes, deltas } = model();
  for (let pid = 1; pid <= 500; pid++) {
    const c: Publisher = {};
    m.hello(c, hello(pid));
    m.closed(c);
  }
  expect(processes().size).toBe(MAX_ENDED);
  expect(deltas.filter((d) => d.type === 'forget').length).toBe(500 - MAX_ENDED);
  expect(m.snapshot().log.length).toBeLessThanOrEqual(500);
});

test('schema: the hello first and once, own session ids, bounded values', () => {
  expect(validate(snap(5, 'boot', 'x'), undefined)).toBe('first message must be @lifecycle.process');
  expect(validate(hello(5), undefined)).toBeUndefined();
  expect(validate(hello(5), 5)).toBe('hello sent twice');
  expect(validate({ ...hello(5), role: 'Main; rm' }, undefined)).toBe('bad role');
  expect(validate(snap(5, 'boot', 'x'), 5)).toBeUndefined();
  expect(validate(snap(6, 'boot', 'x'), 5)).toBe('sessionId is not this process’s');
  expect(validate({ ...snap(5, 'boot', 'x'), parentId: '6:x:0' }, 5)).toBe('parentId is not this process’s');
  expect(validate(snap(5, { a: { b: { c: { d: { e: { f: { g: { h: { i: 'x' } } } } } } } } }, 'x'), 5)).toBe('bad state value');
  expect(validate({ ...snap(5, 'boot', 'x'), event: { type: 'x'.repeat(300) } }, 5)).toBe('bad event');
  expect(validate(snap(5, 'exited', 'x', { context: { exitCode: 300 } }), 5)).toBe('bad exitCode');
  expect(validate({ type: '@lifecycle.worker-exit', slot: 0, workerPid: 9, code: null, signal: 'KILL' }, 5)).toBe('bad signal');
  expect(validate([1, 2], 5)).toBe('not an object with a type');
});
