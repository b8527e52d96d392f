/**
 * Cluster mode with reusePort workers (CLUSTER_REUSEPORT=1, specs/cluster-reuseport.md) in the
 * suites: whether the Node running the tests has it (the services run on the same binary), and the
 * mode as an entry of a suite's list of modes.
 */
import { reusePortUnsupported } from '../../src/config/cluster-transport.js';

/** Why CLUSTER_REUSEPORT=1 falls back on this Node and platform, or undefined where it serves as asked. */
export const REUSEPORT_UNSUPPORTED = reusePortUnsupported();

export const REUSEPORT_ENV = { CLUSTER_REUSEPORT: '1' } as const;

/** The reusePort mode for a suite's `describe.each`, where this Node has it; on other Nodes the opt-in falls back (test/cluster/reuseport.test.ts). */
export const REUSEPORT_MODES = REUSEPORT_UNSUPPORTED ? [] : ([{ mode: 'reusePort cluster', workers: 2, env: REUSEPORT_ENV }] as const);
