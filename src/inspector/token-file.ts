/**
 * The relay's publish token, kept where only this user can read it: `inspect` writes one file per
 * port, and `--inspect-lifecycle` with a loopback URL that carries no `?token=` (the bare flag
 * included) reads it before each connection attempt. So the two-terminal flow needs no copying,
 * and a service started before `inspect` (or across its restart) still gets in.
 */
import { closeSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TOKEN = /^[A-Za-z0-9_-]{32}$/;
const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];

/** `$XDG_RUNTIME_DIR/service-lifecycle` (per user, already private) or `<tmpdir>/service-lifecycle-<uid>`. */
export function tokenDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'service-lifecycle') : join(tmpdir(), `service-lifecycle-${process.getuid?.() ?? 0}`);
}

export const tokenFile = (port: number, env?: NodeJS.ProcessEnv) => join(tokenDir(env), `inspector-${port}.token`);

/** Ours, and nobody else can read or write it (a file another user planted is ignored). */
function isPrivate(path: string, kind: 'file' | 'dir'): boolean {
  const st = lstatSync(path);
  const uid = process.getuid?.();
  return (kind === 'file' ? st.isFile() : st.isDirectory()) && (uid === undefined || st.uid === uid) && (st.mode & 0o077) === 0;
}

/** The token `inspect` wrote for this port, if the file is private to this user and well-formed. */
export function readToken(port: number, env?: NodeJS.ProcessEnv): string | undefined {
  try {
    const file = tokenFile(port, env);
    if (!isPrivate(tokenDir(env), 'dir') || !isPrivate(file, 'file')) return undefined;
    const token = readFileSync(file, 'utf8').trim();
    return TOKEN.test(token) ? token : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the token for this port (folder 0700, file 0600, replaced atomically); returns the file. */
export function writeToken(port: number, token: string, env?: NodeJS.ProcessEnv): string {
  const dir = tokenDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!isPrivate(dir, 'dir')) throw new Error(`${dir} is not a private folder of this user's (mode 0700); remove it or set XDG_RUNTIME_DIR`);
  const file = tokenFile(port, env);
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, `${token}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  return file;
}

export const removeToken = (file: string) => rmSync(file, { force: true });

/** The URL to dial: as given when it has a token or is not loopback; else with the token file's. */
export function withToken(url: string, env?: NodeJS.ProcessEnv): string {
  const parsed = new URL(url);
  if (parsed.searchParams.has('token') || !LOOPBACK.includes(parsed.hostname) || parsed.protocol !== 'ws:') return url;
  const token = readToken(Number(parsed.port || 80), env);
  if (!token) return url;
  parsed.searchParams.set('token', token);
  return parsed.href;
}
