import { ENV_VARS } from '../config/env-vars.js';
import { COMMANDS } from './commands.js';

const EXIT_CODES = `Exit codes: 0 ok, 1 SIGHUP, 2 SIGINT, 15 SIGTERM, 64 usage, 69 listen failed, 70 crash,
            71 cluster crash loop, 78 boot failed (service.json or entry module)`;

const wrap = (text: string, indent: number, width = 100) => {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width - indent) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join('\n' + ' '.repeat(indent));
};

/** `service-lifecycle help`: every command and the global options. */
export function generalHelp(): string {
  const width = Math.max(...Object.entries(COMMANDS).map(([name, c]) => `${name} ${c.positionals.usage}`.length)) + 2;
  const commands = Object.entries(COMMANDS).map(([name, c]) => `  ${`${name} ${c.positionals.usage}`.padEnd(width)}${c.summary}`);
  return [
    'Usage: service-lifecycle <command> [options]',
    '',
    'Commands:',
    ...commands,
    '',
    'Options: --help, -h on any command for its own help; --version, -v prints the version.',
    '',
    EXIT_CODES,
  ].join('\n');
}

/** `<command> --help` and `help <command>`: its usage, options and, for start, the environment. */
export function commandHelp(command: string): string {
  const spec = COMMANDS[command]!;
  const options = Object.entries(spec.options).map(([name, o]) => [`--${name}${o.value ? (o.optionalValue ? o.value : ` ${o.value}`) : ''}`, o.help] as const);
  options.push(['--help, -h', 'this text']);
  const width = Math.min(28, Math.max(...options.map(([flag]) => flag.length)) + 2);
  const lines = [`Usage: service-lifecycle ${command}${spec.positionals.usage ? ` ${spec.positionals.usage}` : ''}${Object.keys(spec.options).length ? ' [options]' : ''}`, '', `${spec.summary[0]!.toUpperCase()}${spec.summary.slice(1)}.`];
  if (spec.more) lines.push('', spec.more);
  lines.push('', 'Options:');
  for (const [flag, help] of options) lines.push(flag.length + 2 > width ? `  ${flag}\n${' '.repeat(width + 2)}${wrap(help, width + 2)}` : `  ${flag.padEnd(width)}${wrap(help, width + 2)}`);
  if (command === 'start') {
    const nameWidth = Math.max(...ENV_VARS.map((v) => v.name.length)) + 2;
    lines.push('', 'Environment (an empty value counts as unset; a bad value exits 64 naming the variable):');
    for (const v of ENV_VARS) lines.push(`  ${v.name.padEnd(nameWidth)}${wrap(`${v.meaning} (default: ${v.default})`, nameWidth + 2)}`);
    lines.push('', EXIT_CODES);
  }
  return lines.join('\n');
}
