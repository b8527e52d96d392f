/**
 * Issue 16 in a real browser: `inspect`, a single-process hello and a cluster(2) hello connected to
 * it, Debian's Chromium showing the live page. In the rendered page each process's lane, and its
 * badge on the statechart, show the state that process logged last, through boot, a worker SIGKILL
 * and respawn, and a SIGTERM drain to exit; the page's log has every process's transitions in the
 * order it logged them; nothing was fetched from outside the relay. Saves test-artifacts/inspector-live.png
 * (`npm run screenshot` copies it to docs/, which the README shows).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, afterEach, expect, test } from 'vitest';
import { REPO, makeServiceRoot, trackServices, workersOnline, type RunningService } from '../helpers/service.js';
import { FIXTURE_ENTRY, fixtureRoot, fixtureServiceJson } from '../helpers/fixture.js';
import { launchChromium } from './chromium.js';
import { client, startInspect } from './relay.js';

export const SCREENSHOT = join(REPO, 'test-artifacts/inspector-live.png');

const services = trackServices();
// Launched by the first test that needs it, so that a missing Chromium fails each test (a failed
// beforeAll would report them as skipped).
let chromium: ReturnType<typeof launchChromium> | undefined;
const browser = async (): Promise<Browser> => (await (chromium ??= launchChromium())).browser;
afterAll(async () => (await chromium?.catch(() => undefined))?.close());
afterEach(() => services.cleanup());

interface Shown {
  pid: number;
  slot: string;
  status: string;
  state: string;
  exitCode: string;
  signal: string;
  /** The state whose node holds this process's badge (Mermaid id), or null. */
  chartState: string | null;
  history: string;
}

/** Each lane as the page shows it, with the state its badge sits in on the chart. */
const lanes = (page: Page): Promise<Shown[]> =>
  page.$$eval('.lane', (els) =>
    els.map((lane) => {
      const el = lane as HTMLElement;
      const node = document.querySelector(`#diagram g.badge[data-pid="${el.dataset.pid}"]`)?.closest('g[id^="live-state-"]');
      return {
        pid: Number(el.dataset.pid),
        slot: el.dataset.slot!,
        status: el.dataset.status!,
        state: el.dataset.state!,
        exitCode: el.dataset.exitCode!,
        signal: el.dataset.signal!,
        chartState: node ? node.id.replace(/^live-state-/, '').replace(/-\d+$/, '') : null,
        history: el.querySelector('.history')!.textContent!,
      };
    }),
  );

/** Each process's own `lifecycle` lines (workers write theirs to the primary's stdout), by pid. */
function logged(...svcs: RunningService[]) {
  const states = new Map<number, string[]>();
  for (const s of svcs) for (const l of s.lines) if (l.type === 'lifecycle') states.set(l.pid!, [...(states.get(l.pid!) ?? []), l.to as string]);
  return states;
}

/** Until every pid's lane shows, and its badge marks, the state the process logged last; mismatches are listed on failure. */
async function expectPageMatches(page: Page, pids: number[], svcs: RunningService[]) {
  await expect
    .poll(
      async () => {
        const shown = await lanes(page);
        const truth = logged(...svcs);
        return pids
          .map((pid) => ({ pid, logged: truth.get(pid)?.at(-1), lane: shown.find((l) => l.pid === pid) }))
          .filter(({ logged, lane }) => !logged || lane?.state !== logged || lane.chartState !== logged.replace(/\./g, '_'))
          .map(({ pid, logged, lane }) => ({ pid, logged, shown: lane?.state, chart: lane?.chartState }));
      },
      { timeout: 15_000, interval: 50 },
    )
    .toEqual([]);
}

async function openPage(url: string) {
  const page = await (await browser()).newPage();
  await page.setViewport({ width: 1600, height: 1000 });
  const outside: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => void (r.url().startsWith(url) || r.url().startsWith('data:') || outside.push(r.url())));
  page.on('pageerror', (e) => void errors.push(String(e)));
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  await page.goto(url);
  await page.waitForSelector('#diagram[data-diagram="ok"]', { timeout: 20_000 });
  return { page, outside, errors };
}

test('the live page follows a single process and a cluster through boot, a worker respawn and a drain', async () => {
  const { inspector, port, ws, open, env } = await startInspect(services);
  const { page, outside, errors } = await openPage(open);
  expect(await page.$eval('#relay', (e) => (e as HTMLElement).dataset.connected)).toBe('true');

  // Single process, as in the README: the bare URL, the token from the token file.
  const single = services.start(fixtureRoot(1), { args: [`--inspect-lifecycle=ws://127.0.0.1:${port}`], env });
  await single.up();
  await expectPageMatches(page, [single.child.pid!], [single]);

  // Cluster(2): the URL `inspect` printed, token included, through the environment.
  const cluster = services.start(fixtureRoot(2), { env: { LIFECYCLE_INSPECT: ws } });
  await cluster.up();
  const [w0, w1] = await workersOnline(cluster, 2);
  for (const w of [w0!, w1!]) await cluster.waitForLine((l) => l.type === 'lifecycle' && l.pid === w.workerPid && l.to === 'servingInline.serving');
  await expectPageMatches(page, [single.child.pid!, cluster.child.pid!, w0!.workerPid as number, w1!.workerPid as number], [single, cluster]);
  const booted = await lanes(page);
  expect(booted.find((l) => l.pid === cluster.child.pid)!.state).toBe('forkingCluster.serving');
  for (const w of [w0!, w1!]) expect(booted.find((l) => l.pid === w.workerPid)!.slot).toBe(String(w.slot));

  // SIGKILL the worker of slot 0: its lane gets the respawned pid and says what happened.
  const victim = w0!.workerPid as number;
  process.kill(victim, 'SIGKILL');
  const respawned = await cluster.waitForLine((l) => l.type === 'worker-online' && l.slot === w0!.slot && l.workerPid !== victim);
  // The primary logs worker-online as the worker listens, a moment before the worker's own transition.
  await cluster.waitForLine((l) => l.type === 'lifecycle' && l.pid === respawned.workerPid && l.to === 'servingInline.serving');
  const live = [single.child.pid!, cluster.child.pid!, respawned.workerPid as number, w1!.workerPid as number];
  await expectPageMatches(page, live, [single, cluster]);
  const lane = (await lanes(page)).find((l) => l.pid === respawned.workerPid)!;
  expect(lane.slot).toBe(String(w0!.slot));
  expect(lane.history).toContain(`pid ${victim} killed by SIGKILL`);
  expect(await page.$eval(`#log tr[data-kind="exit"][data-pid="${victim}"]`, (tr) => tr.textContent)).toContain('killed by SIGKILL');
  mkdirSync(join(REPO, 'test-artifacts'), { recursive: true });
  await page.screenshot({ path: SCREENSHOT });

  // SIGTERM both: every lane drains to exited, with the exit code.
  single.kill('SIGTERM');
  cluster.kill('SIGTERM');
  expect((await single.exited).code).toBe(15);
  expect((await cluster.exited).code).toBe(15);
  await expectPageMatches(page, live, [single, cluster]);
  for (const l of (await lanes(page)).filter((l) => live.includes(l.pid))) expect([l.pid, l.status, l.exitCode]).toEqual([l.pid, 'exited', '15']);

  // The log, newest first, has each process's transitions in the order the process logged them.
  const rows = await page.$$eval('#log tr[data-kind="transition"]', (trs) => trs.map((tr) => ({ pid: Number((tr as HTMLElement).dataset.pid), to: tr.children[3]!.textContent! })));
  const truth = logged(single, cluster);
  for (const pid of [...live, victim]) expect([pid, rows.filter((r) => r.pid === pid).map((r) => r.to).reverse()]).toEqual([pid, truth.get(pid)]);

  expect(outside).toEqual([]); // offline: nothing but the relay
  expect(errors).toEqual([]);
  expect(inspector.child.exitCode).toBe(null);
  await page.close();
}, 90_000);

test('the page survives a flood of events and a crash loop, and says when the relay goes', async () => {
  const { inspector, ws, open, env } = await startInspect(services);
  const { page, outside, errors } = await openPage(open);

  // 200 made-up processes with 20 transitions each, as fast as their sockets send them; each ends
  // its connection without a final state.
  for (let i = 0; i < 200; i++) {
    const pid = 3_000_000 + i;
    const sender = client(ws);
    expect(await sender.outcome).toBe('open');
    sender.ws.send(JSON.stringify({ type: '@lifecycle.process', v: 1, pid, ppid: 1, role: 'main', startedAt: Date.now() }));
    for (let n = 0; n < 20; n++) {
      sender.ws.send(JSON.stringify({ type: '@xstate.snapshot', sessionId: `${pid}:x:0`, rootId: `${pid}:x:0`, event: { type: `E${n}` }, snapshot: { status: 'active', value: n % 2 ? 'boot' : 'draining', context: {} } }));
    }
    sender.ws.close();
  }
  await page.waitForFunction(() => document.querySelectorAll('.lane[data-status="lost"]').length === 200, { timeout: 30_000 });

  // Then workers that crash 200 ms after they serve, respawned at once, until the primary gives up (exit 71).
  const crashing = `${FIXTURE_ENTRY}\nsetTimeout(() => { throw new Error('crash for the live page'); }, 200);\n`;
  const loop = services.start(makeServiceRoot({ serviceJson: fixtureServiceJson(2), entry: crashing }), { env: { ...env, LIFECYCLE_INSPECT: ws, LIFECYCLE_RESPAWN_BASE_MS: '10', LIFECYCLE_QUIET: '1' } });
  expect((await loop.exited).code).toBe(71);

  const primary = String(loop.child.pid);
  await page.waitForFunction((pid) => document.querySelector<HTMLElement>(`.lane[data-pid="${pid}"]`)?.dataset.exitCode === '71', { timeout: 15_000 }, primary);
  const exits = loop.lines.filter((l) => l.type === 'worker-respawn' || l.type === 'crash-loop').length;
  await expect.poll(() => page.$$eval(`#log tr[data-kind="exit"]`, (trs) => trs.length), { timeout: 15_000 }).toBeGreaterThanOrEqual(exits + 1);
  expect(await page.$$eval('#log tbody tr', (trs) => trs.length)).toBeLessThanOrEqual(500);

  // The relay goes: the page says so and keeps what it showed.
  inspector.kill('SIGTERM');
  await inspector.exited;
  await page.waitForFunction(() => document.querySelector<HTMLElement>('#relay')?.dataset.connected === 'false', { timeout: 10_000 });
  expect(await page.$(`.lane[data-pid="${primary}"]`)).not.toBe(null);
  expect(outside).toEqual([]);
  expect(errors.filter((e) => !e.includes('WebSocket'))).toEqual([]); // the reconnect attempts log failed sockets
  await page.close();
}, 90_000);
