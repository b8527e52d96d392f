import { resolve } from 'node:path';
import { parseCommandArgs, usageFail } from './usage.js';

export async function run(argv: string[]) {
  const { values, positionals } = parseCommandArgs('start', argv, {
    port: { type: 'string' },
    quiet: { type: 'boolean' },
  });
  if (positionals.length > 1) usageFail(`start takes one service root, got ${positionals.length}: ${positionals.join(' ')}`);
  const root = resolve(positionals[0] ?? '.');
  const { startLifecycle } = await import('../run.js');
  startLifecycle({ root, flags: { port: values.port }, quiet: values.quiet });
}
