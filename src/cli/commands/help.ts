import type { ParsedCommand } from '../commands.js';
import { commandHelp, generalHelp } from '../help-text.js';
import { COMMANDS } from '../commands.js';
import { didYouMean } from '../../core/did-you-mean.js';
import { usageFail } from '../args.js';

export function run({ positionals: [command] }: ParsedCommand) {
  if (command === undefined) return void process.stdout.write(generalHelp() + '\n');
  if (!COMMANDS[command]) {
    const near = didYouMean(command, Object.keys(COMMANDS));
    usageFail(`help: unknown command "${command}"${near ? `; did you mean "${near}"?` : ''}`);
  }
  process.stdout.write(commandHelp(command) + '\n');
}
