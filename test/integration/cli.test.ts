/**
 * The command line as a newcomer meets it: every command answers --help/-h with its own usage,
 * `help <command>` prints the same, --version the package's version, and a typo gets a did-you-mean.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ENV_VARS } from '../../src/config/env-vars.js';
import { COMMANDS } from '../../src/cli/commands.js';
import { CLI, REPO } from '../helpers/service.js';

const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20_000 });
const usageLine = (stderr: string) => JSON.parse(stderr.trim().split('\n').at(-1)!) as { type: string; message: string; fix: string };

describe.each(Object.keys(COMMANDS))('%s', (command) => {
  test('--help and -h print its own usage, exit 0, and match `help <command>`', () => {
    const long = cli(command, '--help');
    expect(long.status, long.stderr).toBe(0);
    expect(long.stdout.startsWith(`Usage: service-lifecycle ${command}`)).toBe(true);
    for (const name of Object.keys(COMMANDS[command]!.options)) expect(long.stdout).toContain(`--${name}`);
    expect(cli(command, '-h').stdout).toBe(long.stdout);
    expect(cli('help', command).stdout).toBe(long.stdout);
  });
});

test('help with no command lists every command; so do --help and no arguments', () => {
  const help = cli('help');
  expect(help.status).toBe(0);
  for (const command of Object.keys(COMMANDS)) expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  expect(cli('--help').stdout).toBe(help.stdout);
  expect(cli().stdout).toBe(help.stdout);
});

test('start --help lists every environment variable the README lists', () => {
  const text = cli('start', '--help').stdout;
  for (const v of ENV_VARS) expect(text).toContain(v.name);
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('## Environment variables'), readme.indexOf('\n## ', readme.indexOf('## Environment variables') + 5));
  const documented = [...table.matchAll(/^\| `([A-Z_]+)`(?: or `([A-Z_]+)`)?/gm)].flatMap((m) => [m[1], m[2]].filter(Boolean));
  expect(documented.sort()).toEqual(ENV_VARS.flatMap((v) => v.name.split(', ')).sort());
});

test('--version and -v print the package version', () => {
  const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
  expect(execFileSync(process.execPath, [CLI, '--version'], { encoding: 'utf8' })).toBe(`${version}\n`);
  expect(cli('-v').stdout).toBe(`${version}\n`);
});

test.each([
  [['strat'], 'unknown command "strat"; did you mean "start"?', 'run: service-lifecycle help'],
  [['help', 'manifset'], 'help: unknown command "manifset"; did you mean "manifest"?', 'run: service-lifecycle help'],
  [['start', '--prot', '6110'], 'start: unknown option --prot; did you mean --port?', 'run: service-lifecycle start --help'],
  [['manifest', '--cpu', '2'], 'manifest: unknown option --cpu; did you mean --cpus?', 'run: service-lifecycle manifest --help'],
  [['inspect', '--port'], 'inspect: --port needs a value: --port <n>', 'run: service-lifecycle inspect --help'],
  [['diagram', '--write=yes'], 'diagram: --write takes no value, got "yes"', 'run: service-lifecycle diagram --help'],
  [['inspect', '--port', '80x'], 'inspect: --port is "80x"; expected a port number from 0 to 65535', 'run: service-lifecycle inspect --help'],
  [['start', 'a', 'b'], 'start takes one service root, got 2: a b', 'run: service-lifecycle start --help'],
])('%j: one usage line naming what was typed and the fix, exit 64', (args, message, fix) => {
  const result = cli(...args);
  expect(result.status).toBe(64);
  expect(result.stdout).toBe('');
  expect(usageLine(result.stderr)).toMatchObject({ type: 'usage', message, fix });
});
