import { LifecycleError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';

/** A port that cannot be bound: one line naming it and the fix, exit 69. */
export function listenFailed(port: number, err: NodeJS.ErrnoException): LifecycleError {
  const why = err.code === 'EADDRINUSE' ? 'is already in use' : err.code === 'EACCES' ? 'needs privileges' : `cannot be bound (${err.code ?? err.message})`;
  return new LifecycleError(`PORT ${port} ${why}; stop the other process or set PORT to a free port`, EXIT.LISTEN_FAILED, 'PORT');
}
