import { describe, expect, test } from 'vitest';
import { resolveTransport, reusePortUnsupported } from '../../src/config/cluster-transport.js';

describe('reusePortUnsupported: decided from the Node version and the platform, never by trying', () => {
  test.each([
    ['22.12.0', 'linux'],
    ['22.23.5', 'linux'],
    ['v23.1.0', 'linux'],
    ['24.0.0', 'linux'],
    ['26.12.1', 'linux'],
  ])('Node %s on %s has it', (version, platform) => {
    expect(reusePortUnsupported(version, platform)).toBeUndefined();
  });

  test.each(['20.20.2', '21.7.3', '22.11.0', '23.0.0', 'v18.20.8'])('Node %s has not (its listen() ignores the option silently)', (version) => {
    expect(reusePortUnsupported(version, 'linux')).toBe(
      `Node v${version.replace(/^v/, '')} has no reusePort for server.listen() (it came in 22.12.0 and 23.1.0)`,
    );
  });

  test.each(['darwin', 'win32', 'freebsd'])('%s falls back: the drain and the hazards are measured on Linux only', (platform) => {
    expect(reusePortUnsupported('24.0.0', platform)).toBe(`reusePort cluster mode is supported on Linux only, this is ${platform}`);
  });
});

describe('resolveTransport: the opt-in, and the fallback with its reason', () => {
  test('not asked for: round-robin, no warning, whatever the Node', () => {
    expect(resolveTransport(false, '24.0.0', 'linux')).toEqual({ transport: 'round-robin' });
    expect(resolveTransport(false, '20.20.2', 'linux')).toEqual({ transport: 'round-robin' });
  });
  test('asked for and supported: reusePort', () => {
    expect(resolveTransport(true, '22.12.0', 'linux')).toEqual({ transport: 'reusePort' });
  });
  test('asked for where it cannot be: round-robin, and one warning saying why and what serves instead', () => {
    expect(resolveTransport(true, '20.20.2', 'linux')).toEqual({
      transport: 'round-robin',
      warning:
        'CLUSTER_REUSEPORT=1: Node v20.20.2 has no reusePort for server.listen() (it came in 22.12.0 and 23.1.0); ' +
        'serving in classic cluster mode (the primary accepts every connection)',
    });
    expect(resolveTransport(true, '24.1.0', 'darwin').warning).toMatch(/^CLUSTER_REUSEPORT=1: reusePort cluster mode is supported on Linux only, this is darwin; serving in classic cluster mode/);
  });
});
