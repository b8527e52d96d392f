import { parseArgs } from 'node:util';
import { COMMANDS, type ParsedCommand } from './commands.js';
import { EXIT } from '../core/exit-codes.js';
import { error } from '../core/log.js';

const HELP = ['--help', '-h'];

/**
 * The one option parser of every command: `--name value`, `--name=value`, switches, `--help`/`-h`
 * (the command's own help, exit 0). An unknown option, a missing value or a stray argument is one
 * usage line naming what was typed, with a did-you-mean when it looks like a typo; exit 64.
 */
export async function parseCommand(command: string, argv: string[]): Promise<ParsedCommand> {
  const spec = COMMANDS[command]!;
  const fix = `run: service-lifecycle ${command} --help`;
  if (argv.some((arg) => HELP.includes(arg))) {
    process.stdout.write((await import('./help-text.js')).commandHelp(command) + '\n');
    process.exit(0);
  }
  // parseArgs wants a value for a string option: `--flag` alone means the default, written `--flag=`.
  const args = argv.map((arg) => (arg.startsWith('--') && spec.options[arg.slice(2)]?.optionalValue ? `${arg}=` : arg));
  const options = Object.fromEntries(Object.entries(spec.options).map(([name, o]) => [name, { type: o.value ? ('string' as const) : ('boolean' as const) }]));
  const { values, positionals, tokens } = parseArgs({ args, options, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = spec.options[token.name];
    const typed = token.rawName;
    if (!option) {
      const near = await didYouMean(token.name, Object.keys(spec.options));
      usageFail(`${command}: unknown option ${typed}${near ? `; did you mean --${near}?` : ''}`, fix);
    }
    if (option.value && token.value === undefined) usageFail(`${command}: ${typed} needs a value: ${typed} ${option.value}`, fix);
    if (!option.value && token.inlineValue) usageFail(`${command}: ${typed} takes no value, got ${JSON.stringify(token.value)}`, fix);
  }
  if (positionals.length > spec.positionals.max) {
    const extra = positionals.slice(spec.positionals.max);
    const near = extra[0]?.startsWith('-') ? undefined : await didYouMean(extra[0]!, Object.keys(COMMANDS));
    usageFail(
      spec.positionals.max === 0
        ? `${command} takes no arguments, got: ${positionals.join(' ')}`
        : `${command} takes one ${spec.positionals.what}, got ${positionals.length}: ${positionals.join(' ')}${near ? ` (did you mean the command "${near}"?)` : ''}`,
      fix,
    );
  }
  return { values: values as ParsedCommand['values'], positionals };
}

/** One `usage` line on stderr naming what was typed and the fix, then exit 64 (or `code`). */
export function usageFail(message: string, fix = 'run: service-lifecycle help', code: number = EXIT.USAGE): never {
  error('usage', { message, fix });
  process.exit(code);
}

/** The closest candidate to a typo, loaded only when something was mistyped. */
export const didYouMean = async (typed: string, candidates: readonly string[]) => (await import('../core/did-you-mean.js')).didYouMean(typed, candidates);
