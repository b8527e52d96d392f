import { EXIT } from '../core/exit-codes.js';
import { error } from '../core/log.js';
import { parseArgs, type ParseArgsConfig } from 'node:util';

export function usageFail(message: string, code: number = EXIT.USAGE): never {
  error('usage', { message, fix: 'run: service-lifecycle help' });
  process.exit(code);
}

/** node:util parseArgs, strict, with a one-line usage error (exit 64) instead of a stack trace. */
export function parseCommandArgs<T extends ParseArgsConfig['options']>(command: string, argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options: options! }) as {
      values: { [K in keyof T]?: T[K] extends { type: 'boolean' } ? boolean : string };
      positionals: string[];
    };
  } catch (err) {
    usageFail(`${command}: ${(err as Error).message.split('\n')[0]}`);
  }
}
