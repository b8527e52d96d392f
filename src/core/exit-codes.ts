/**
 * Exit codes of the `service-lifecycle` process. Signal exits follow the SDK primary
 * (15 after a SIGTERM drain, 2 after SIGINT); failures use the BSD sysexits numbers so an
 * operator can tell a bad deploy (64, 78) from a port clash (69) or a crash (70).
 */
export const EXIT = {
  /** `diagram`, `manifest`, `--help`: the command finished. */
  OK: 0,
  /** SIGHUP (the terminal or session went away) drain finished, or its deadline hit. */
  SIGHUP: 1,
  /** SIGINT drain finished (or its 1 s deadline hit). */
  SIGINT: 2,
  /** SIGTERM drain finished (or its deadline hit). */
  SIGTERM: 15,
  /** Bad command line or environment variable (`PORT`, `INSPECT_PORT`, unknown flag). */
  USAGE: 64,
  /** The HTTP port could not be bound (EADDRINUSE, EACCES). */
  LISTEN_FAILED: 69,
  /** Uncaught exception in the serving process (single-process mode: no self-restart). */
  CRASH: 70,
  /** Cluster mode: workers kept crashing; the primary gave up so the orchestrator backs off. */
  CRASH_LOOP: 71,
  /** `service.json` or the entry module is missing or invalid. */
  BOOT_FAILED: 78,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
