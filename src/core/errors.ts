import { EXIT, type ExitCode } from './exit-codes.js';

/**
 * An error whose message is the one line the operator reads, and whose exit code is documented.
 * `cause`: the service's own error behind it (its stack goes into the log line).
 */
export class LifecycleError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly field?: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'LifecycleError';
  }
}

export const configError = (field: string, message: string, cause?: unknown) =>
  new LifecycleError(message, EXIT.BOOT_FAILED, field, cause);

export const usageError = (field: string, message: string) =>
  new LifecycleError(message, EXIT.USAGE, field);

/** Several problems found at once (one line each), e.g. every bad field of service.json. */
export class LifecycleErrors extends LifecycleError {
  constructor(readonly problems: LifecycleError[]) {
    super(problems.map((p) => p.message).join('\n'), problems[0]?.exitCode ?? EXIT.BOOT_FAILED, problems[0]?.field);
  }
}
