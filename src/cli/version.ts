import { readFileSync } from 'node:fs';

/** The package's own package.json (dist/src/cli/ is three levels below it). */
export function packageInfo(): { name: string; version: string } {
  return JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
}
