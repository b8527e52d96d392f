import { describe, expect, test } from 'vitest';
import { DEFAULT_INSPECT_PORT, DEFAULT_PORT, readRuntimeEnv } from '../../src/config/env.js';
import { LifecycleError } from '../../src/core/errors.js';
import { EXIT } from '../../src/core/exit-codes.js';

function usageProblem(env: NodeJS.ProcessEnv, flags: { port?: string } = {}): LifecycleError {
  try {
    readRuntimeEnv(env, flags);
  } catch (err) {
    expect(err).toBeInstanceOf(LifecycleError);
    return err as LifecycleError;
  }
  throw new Error(`accepted ${JSON.stringify({ env, flags })}`);
}

describe('readRuntimeEnv: defaults', () => {
  test('an empty environment gives the documented defaults', () => {
    expect(readRuntimeEnv({})).toEqual({
      port: DEFAULT_PORT,
      linked: false,
      inspectPort: DEFAULT_INSPECT_PORT,
      shutdownDelayMs: 0,
      keepAliveTimeoutMs: 5_000,
      headersTimeoutMs: 60_000,
      requestTimeoutMs: 300_000,
      upUrl: undefined,
      workers: undefined,
      accessLog: false,
      clusterReusePort: false,
    });
    expect(DEFAULT_PORT).toBe(5050);
    expect(DEFAULT_INSPECT_PORT).toBe(5858);
  });

  test('an empty variable counts as unset', () => {
    const env = { PORT: '', INSPECT_PORT: '', SHUTDOWN_DELAY_MS: '', KEEP_ALIVE_TIMEOUT_MS: '', LIFECYCLE_UP_URL: '', WORKERS: '', LIFECYCLE_ACCESS_LOG: '', CLUSTER_REUSEPORT: '' };
    expect(readRuntimeEnv(env)).toEqual(readRuntimeEnv({}));
  });
});

describe('readRuntimeEnv: values', () => {
  test('every variable is read', () => {
    const env = {
      PORT: '8080',
      INSPECT_PORT: '9229',
      SHUTDOWN_DELAY_MS: '1000',
      KEEP_ALIVE_TIMEOUT_MS: '65000',
      HEADERS_TIMEOUT_MS: '66000',
      REQUEST_TIMEOUT_MS: '120000',
      LIFECYCLE_UP_URL: 'http://127.0.0.1:9000/up',
      WORKERS: '3',
      LIFECYCLE_ACCESS_LOG: '1',
      CLUSTER_REUSEPORT: '1',
    };
    expect(readRuntimeEnv(env)).toEqual({
      port: 8080,
      linked: false,
      inspectPort: 9229,
      shutdownDelayMs: 1000,
      keepAliveTimeoutMs: 65000,
      headersTimeoutMs: 66000,
      requestTimeoutMs: 120000,
      upUrl: 'http://127.0.0.1:9000/up',
      workers: 3,
      accessLog: true,
      clusterReusePort: true,
    });
  });

  test('PORT 0 (any free port) and surrounding blanks are accepted', () => {
    expect(readRuntimeEnv({ PORT: '0' }).port).toBe(0);
    expect(readRuntimeEnv({ PORT: ' 80 ' }).port).toBe(80);
  });

  test('--port wins over PORT', () => {
    expect(readRuntimeEnv({ PORT: '81' }, { port: '82' }).port).toBe(82);
  });

  test('linked mode: VTEX_APP_LINK (the SDK name) or SERVICE_LINKED set to any non-empty value', () => {
    expect(readRuntimeEnv({ VTEX_APP_LINK: '1' }).linked).toBe(true);
    expect(readRuntimeEnv({ SERVICE_LINKED: '1' }).linked).toBe(true);
    expect(readRuntimeEnv({ VTEX_APP_LINK: 'true' }).linked).toBe(true);
    expect(readRuntimeEnv({ VTEX_APP_LINK: '', SERVICE_LINKED: '' }).linked).toBe(false);
    expect(readRuntimeEnv({}).linked).toBe(false);
  });
});

describe('readRuntimeEnv: a bad value is a usage error (exit 64) naming the variable, the value and what is allowed', () => {
  const cases: Array<[NodeJS.ProcessEnv, string, RegExp]> = [
    [{ PORT: 'abc' }, 'PORT', /^PORT is "abc"; expected a port number from 0 to 65535 \(set PORT or --port\)$/],
    [{ PORT: '-1' }, 'PORT', /^PORT is "-1"; expected a port number/],
    [{ PORT: '65536' }, 'PORT', /^PORT is "65536"; expected a port number from 0 to 65535/],
    [{ PORT: '80.5' }, 'PORT', /^PORT is "80\.5"/],
    [{ PORT: '0x10' }, 'PORT', /^PORT is "0x10"/],
    [{ PORT: '1e3' }, 'PORT', /^PORT is "1e3"/],
    [{ INSPECT_PORT: '0' }, 'INSPECT_PORT', /^INSPECT_PORT is "0"; expected a port number from 1 to 65535$/],
    [{ INSPECT_PORT: 'x' }, 'INSPECT_PORT', /^INSPECT_PORT is "x"/],
    [{ WORKERS: '0' }, 'WORKERS', /^WORKERS is "0"; expected a worker count from 1 to 4 \(unset it to use service\.json\)$/],
    [{ WORKERS: '8' }, 'WORKERS', /^WORKERS is "8"; expected a worker count from 1 to 4/],
    [{ WORKERS: 'max' }, 'WORKERS', /^WORKERS is "max"/],
    [{ LIFECYCLE_ACCESS_LOG: 'yes' }, 'LIFECYCLE_ACCESS_LOG', /^LIFECYCLE_ACCESS_LOG is "yes"; expected 1 \(on\) or 0 \(off\)$/],
    [{ CLUSTER_REUSEPORT: 'true' }, 'CLUSTER_REUSEPORT', /^CLUSTER_REUSEPORT is "true"; expected 1 \(on\) or 0 \(off\)$/],
    [{ SHUTDOWN_DELAY_MS: '-5' }, 'SHUTDOWN_DELAY_MS', /^SHUTDOWN_DELAY_MS is "-5"; expected milliseconds from 0 to 600000$/],
    [{ SHUTDOWN_DELAY_MS: '1s' }, 'SHUTDOWN_DELAY_MS', /^SHUTDOWN_DELAY_MS is "1s"/],
    [{ SHUTDOWN_DELAY_MS: '600001' }, 'SHUTDOWN_DELAY_MS', /^SHUTDOWN_DELAY_MS is "600001"/],
    [{ KEEP_ALIVE_TIMEOUT_MS: '0' }, 'KEEP_ALIVE_TIMEOUT_MS', /^KEEP_ALIVE_TIMEOUT_MS is "0"; expected milliseconds from 1 to 3600000$/],
    [{ HEADERS_TIMEOUT_MS: 'soon' }, 'HEADERS_TIMEOUT_MS', /^HEADERS_TIMEOUT_MS is "soon"/],
    [{ REQUEST_TIMEOUT_MS: '3600001' }, 'REQUEST_TIMEOUT_MS', /^REQUEST_TIMEOUT_MS is "3600001"/],
    [{ HEADERS_TIMEOUT_MS: '20000', REQUEST_TIMEOUT_MS: '10000' }, 'HEADERS_TIMEOUT_MS', /^HEADERS_TIMEOUT_MS \(20000\) exceeds REQUEST_TIMEOUT_MS \(10000\); lower it or raise REQUEST_TIMEOUT_MS$/],
    [{ LIFECYCLE_UP_URL: '/up' }, 'LIFECYCLE_UP_URL', /^LIFECYCLE_UP_URL is "\/up"; expected an http\(s\) URL/],
    [{ LIFECYCLE_UP_URL: 'ftp://127.0.0.1/up' }, 'LIFECYCLE_UP_URL', /^LIFECYCLE_UP_URL is "ftp:\/\/127\.0\.0\.1\/up"; expected an http\(s\) URL/],
    [{ LIFECYCLE_UP_URL: 'localhost:8080/up' }, 'LIFECYCLE_UP_URL', /^LIFECYCLE_UP_URL is "localhost:8080\/up"; expected an http\(s\) URL/],
  ];
  test.each(cases)('%j', (env, field, message) => {
    const problem = usageProblem(env);
    expect(problem.exitCode).toBe(EXIT.USAGE);
    expect(problem.field).toBe(field);
    expect(problem.message).toMatch(message);
  });

  test('a bad --port is reported the same way, and an empty --port is not silently the default', () => {
    // Named as the user typed it: the flag, not the variable it stands for.
    expect(usageProblem({}, { port: 'http' }).message).toBe('--port is "http"; expected a port number from 0 to 65535');
    expect(usageProblem({ PORT: '81' }, { port: '61x' }).message).toBe('--port is "61x"; expected a port number from 0 to 65535');
    const empty = usageProblem({ PORT: '81' }, { port: '' });
    expect(empty.exitCode).toBe(EXIT.USAGE);
    expect(empty.message).toMatch(/--port is empty; expected a port number/);
  });
});
