#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { EXIT } from './exit-codes.js';
import { error } from './log.js';

const USAGE = `Usage: service-lifecycle <command> [options]

Commands:
  start [root]     boot the service in root (default: .); workers: 1 runs in this process
  help             this text

Options for start:
  --port <n>       port to listen on (default: $PORT or 5050)
  --quiet          no lifecycle transition lines

Exit codes: 0 ok, 2 SIGINT, 15 SIGTERM, 64 usage, 69 listen failed, 70 crash,
            71 cluster crash loop, 78 boot failed (service.json or entry module)`;

function usageFail(message: string): never {
  error('usage', { message, fix: 'run service-lifecycle help' });
  process.exit(EXIT.USAGE);
}

function main(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    usageFail((err as Error).message.split('\n')[0]!);
  }
  const [command = 'help', ...rest] = parsed.positionals;
  if (parsed.values.help || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return;
  }
  if (command === 'start') {
    if (rest.length > 1) usageFail(`start takes one service root, got ${rest.length}: ${rest.join(' ')}`);
    const root = resolve(rest[0] ?? '.');
    void import('./run.js').then(({ startLifecycle }) =>
      startLifecycle({ root, flags: { port: parsed.values.port }, quiet: parsed.values.quiet }),
    );
    return;
  }
  usageFail(`unknown command "${command}"; expected start or help`);
}

main(process.argv.slice(2));
