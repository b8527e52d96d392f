/** The model's paths from boot to exited, replayed against a real process in cluster mode (both transports). */
import { afterEach, describe, expect, test } from 'vitest';
import { trackServices } from '../helpers/service.js';
import { describePath, expectedExitCode, pathsToExit, stepsOf } from './model.js';
import { modeOf, notReplayable, notReplayableHere, replayAgainstProcess } from './system.js';

const services = trackServices();
afterEach(() => services.cleanup());

const paths = pathsToExit('main').filter((p) => modeOf(p).includes('cluster') || modeOf(p).includes('reusePort'));
const here = paths.filter((p) => !notReplayableHere(p));
const replayable = here.filter((p) => !notReplayable(p));

describe('cluster mode: model paths against a real process', () => {
  test('every state of the mode is replayed; the paths left to the machine level are listed', () => {
    const reasons = paths.map((p) => notReplayable(p) ?? notReplayableHere(p)).filter(Boolean);
    console.log(`cluster mode: ${replayable.length} of ${paths.length} paths replayed; machine level only: ${[...new Set(reasons)].join('; ')}`);
    // Still, every state of this mode that this Node can run is reached and observed in a real process by some path.
    const statesOf = (ps: typeof paths) => new Set(ps.flatMap((p) => stepsOf(p).map((s) => s.after)));
    expect([...statesOf(replayable)].sort()).toEqual([...statesOf(here)].sort());
  });
  test.each(replayable.map((p) => [`${describePath(p)} ⇒ exit ${expectedExitCode(p)}`, p] as const))('%s', (_name, path) =>
    replayAgainstProcess(modeOf(path).includes('reusePort') ? 'reusePort' : 'cluster', path, services),
  );
});
