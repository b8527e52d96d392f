import { EXIT } from '../core/exit-codes.js';
import { error } from '../core/log.js';

export { didYouMean } from '../core/did-you-mean.js';

/** One `usage` line on stderr naming what was typed and the fix, then exit 64 (or `code`). */
export function usageFail(message: string, fix = 'run: service-lifecycle help', code: number = EXIT.USAGE): never {
  error('usage', { message, fix });
  process.exit(code);
}
