import type { LiveProcess } from './live-types.js';

export const isLive = (p: LiveProcess) => p.status === 'live' || p.status === 'forked';

/** 14:03:07.412 */
export const time = (t: number | null) => (t ? `${new Date(t).toLocaleTimeString('en-GB', { hour12: false })}.${String(t % 1000).padStart(3, '0')}` : '');

/** How a process ended: `killed by SIGKILL`, `exit code 15`, `connection lost`. */
export const ending = (p: LiveProcess) => (p.signal ? `killed by ${p.signal}` : p.status === 'lost' ? 'connection lost' : `exit code ${p.exitCode ?? '?'}`);

export const statusText = (p: LiveProcess) =>
  p.status === 'exited' ? `exited · ${p.signal ?? `code ${p.exitCode ?? '?'}`}` : p.status === 'lost' ? 'lost · no final state' : p.status;

/** `xstate.done.actor.loadConfig` reads `loadConfig done`, as on the diagram's edges. */
export function eventLabel(type: string | undefined): string {
  const outcome = /^xstate\.(done|error)\.actor\.(.+)$/.exec(type ?? '');
  if (outcome) return `${outcome[2]} ${outcome[1] === 'done' ? 'done' : 'failed'}`;
  return type === 'xstate.init' ? 'start' : (type ?? '');
}
