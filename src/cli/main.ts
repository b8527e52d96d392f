#!/usr/bin/env node
import { EXIT } from '../core/exit-codes.js';
import { usageFail } from './usage.js';
import { holdEarlySignals } from './early-signals.js';

/** Each command lives in its own module, loaded only when it runs. */
const COMMANDS: Record<string, () => Promise<{ run(argv: string[]): void | Promise<void> }>> = {
  start: () => import('./commands/start.js'),
  manifest: () => import('./commands/manifest.js'),
  inspect: () => import('./commands/inspect.js'),
  diagram: () => import('./commands/diagram.js'),
  help: () => import('./commands/help.js'),
};

const [command = 'help', ...argv] = process.argv.slice(2);
const name = command === '--help' || command === '-h' ? 'help' : command;
if (name === 'start') holdEarlySignals();
const load = COMMANDS[name];
if (!load) usageFail(`unknown command "${command}"; expected one of ${Object.keys(COMMANDS).join(', ')}`);
load()
  .then((mod) => mod.run(argv))
  .catch((err: unknown) => usageFail((err as Error).message, EXIT.CRASH));
