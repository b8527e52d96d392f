import { expect, test } from 'vitest';
import { Backoff } from '../../src/cluster/backoff.js';
import { CrashWindow } from '../../src/cluster/crash-window.js';
import { parseClusterMessage } from '../../src/cluster/messages.js';
import {
  CRASH_LOOP_EXITS,
  CRASH_LOOP_WINDOW_MS,
  DEFAULT_RESPAWN_POLICY,
  HEALTHY_UPTIME_MS,
  readRespawnPolicy,
  RESPAWN_BASE_MS,
  RESPAWN_FACTOR,
  RESPAWN_MAX_MS,
} from '../../src/cluster/respawn-policy.js';
import { LifecycleError } from '../../src/core/errors.js';

test('the documented constants', () => {
  expect([RESPAWN_BASE_MS, RESPAWN_FACTOR, RESPAWN_MAX_MS, HEALTHY_UPTIME_MS]).toEqual([100, 2, 15_000, 30_000]);
  expect([CRASH_LOOP_EXITS, CRASH_LOOP_WINDOW_MS]).toEqual([10, 60_000]);
});

test('default backoff: 100 ms doubling per consecutive crash, capped at 15 s', () => {
  const backoff = new Backoff(DEFAULT_RESPAWN_POLICY);
  const delays = Array.from({ length: 12 }, () => backoff.next(0));
  expect(delays).toEqual([100, 200, 400, 800, 1600, 3200, 6400, 12_800, 15_000, 15_000, 15_000, 15_000]);
});

test('a worker that served 30 s before exiting resets its slot to the base delay; 29.999 s does not', () => {
  const backoff = new Backoff(DEFAULT_RESPAWN_POLICY);
  for (let i = 0; i < 5; i++) backoff.next(1_000);
  expect(backoff.next(HEALTHY_UPTIME_MS - 1)).toBe(3200);
  expect(backoff.next(HEALTHY_UPTIME_MS)).toBe(100);
  expect(backoff.next(0)).toBe(200);
});

test('an immediately crashing worker under the defaults hits the crash-loop limit inside the window', () => {
  // Nine respawn delays separate ten exits; boot time only adds to it, and 40.5 s + 10 boots < 60 s.
  const backoff = new Backoff(DEFAULT_RESPAWN_POLICY);
  const waited = Array.from({ length: CRASH_LOOP_EXITS - 1 }, () => backoff.next(0)).reduce((a, b) => a + b, 0);
  expect(waited).toBe(40_500);
  expect(waited).toBeLessThan(CRASH_LOOP_WINDOW_MS);
});

test('the crash window counts exits of the last 60 s only', () => {
  const window = new CrashWindow(CRASH_LOOP_WINDOW_MS);
  expect(window.record(0)).toBe(1);
  expect(window.record(30_000)).toBe(2);
  expect(window.record(59_999)).toBe(3);
  expect(window.record(60_000)).toBe(3); // the exit at 0 left the window
  expect(window.record(200_000)).toBe(1);
});

test('LIFECYCLE_RESPAWN_BASE_MS / _MAX_MS override the delays; bad values are usage errors naming the variable', () => {
  expect(readRespawnPolicy({})).toEqual(DEFAULT_RESPAWN_POLICY);
  expect(readRespawnPolicy({ LIFECYCLE_RESPAWN_BASE_MS: '20', LIFECYCLE_RESPAWN_MAX_MS: '80' })).toMatchObject({ baseMs: 20, maxMs: 80, crashLoopExits: 10 });
  for (const env of [{ LIFECYCLE_RESPAWN_BASE_MS: '0' }, { LIFECYCLE_RESPAWN_BASE_MS: 'fast' }, { LIFECYCLE_RESPAWN_BASE_MS: '500', LIFECYCLE_RESPAWN_MAX_MS: '100' }]) {
    const name = Object.keys(env).at(-1)!;
    expect(() => readRespawnPolicy(env)).toThrow(LifecycleError);
    expect(() => readRespawnPolicy(env)).toThrow(new RegExp(`^${name} is "`));
  }
});

test('only well-formed messages of ours parse; a service’s own process.send does not', () => {
  expect(parseClusterMessage({ type: 'service-lifecycle:log-once', message: 'hi' })).toEqual({ type: 'service-lifecycle:log-once', message: 'hi' });
  expect(parseClusterMessage({ type: 'service-lifecycle:status-track' })).toEqual({ type: 'service-lifecycle:status-track' });
  expect(parseClusterMessage({ type: 'service-lifecycle:listening', port: 8080 })).toEqual({ type: 'service-lifecycle:listening', port: 8080 });
  for (const other of [null, 'service-lifecycle:status-track', 42, { type: 'service-lifecycle:log-once' }, { type: 'service-lifecycle:listening', port: '8080' }, { type: 'service-lifecycle:reboot' }, { hello: 1 }]) {
    expect(parseClusterMessage(other)).toBeUndefined();
  }
});
