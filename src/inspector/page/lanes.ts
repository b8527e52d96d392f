/**
 * One lane per process of each service's tree: a single process, or a primary and one lane per
 * worker slot (the slot's current worker, with its earlier pids). Lanes are kept and updated in
 * place; each lane's data attributes say what it shows (the browser test reads them).
 */
import { $, el } from './dom.js';
import { ending, isLive, statusText, time } from './format.js';
import type { LiveProcess } from './live-types.js';

interface Lane {
  root: number;
  order: number;
  el: HTMLElement;
  title: HTMLElement;
  status: HTMLElement;
  state: HTMLElement;
  history: HTMLElement;
  shown: string;
}

interface Tree {
  el: HTMLElement;
  title: HTMLElement;
  lanes: HTMLElement;
}

/** A lane's current process and the label of its badge on the chart. */
export interface Current {
  p: LiveProcess;
  label: string;
  lane: HTMLElement;
}

const lanes = new Map<string, Lane>();
const trees = new Map<number, Tree>();

/** A worker goes under its primary, in its slot's lane; anything else is the root of its own tree. */
function place(p: LiveProcess) {
  if (p.role === 'worker' && p.ppid) return { root: p.ppid, key: `${p.ppid}/${p.slot === null ? `pid-${p.pid}` : `slot-${p.slot}`}`, order: 1 + (p.slot ?? 10_000) };
  return { root: p.pid, key: `${p.pid}/main`, order: 0 };
}

export function renderLanes(processes: Iterable<LiveProcess>): Current[] {
  const wanted = new Map<string, { root: number; key: string; order: number; procs: LiveProcess[] }>();
  for (const p of processes) {
    const at = place(p);
    if (!wanted.has(at.key)) wanted.set(at.key, { ...at, procs: [] });
    wanted.get(at.key)!.procs.push(p);
  }
  for (const [key, lane] of lanes) if (!wanted.has(key)) (lane.el.remove(), lanes.delete(key));
  const roots = new Set([...wanted.values()].map((w) => w.root));
  for (const [root, tree] of trees) if (!roots.has(root)) (tree.el.remove(), trees.delete(root));

  const clustered = new Set([...wanted.values()].filter((w) => w.order > 0).map((w) => w.root));
  const current: Current[] = [];
  for (const w of [...wanted.values()].sort((a, b) => a.root - b.root || a.order - b.order)) {
    w.procs.sort((a, b) => a.firstSeen - b.firstSeen || a.pid - b.pid);
    const lane = ensureLane(w, ensureTree(w.root));
    const p = w.procs[w.procs.length - 1]!;
    const role = p.role === 'worker' ? `worker #${p.slot ?? '?'}` : clustered.has(w.root) ? 'primary' : 'main';
    updateLane(lane, w.procs, role);
    current.push({ p, label: p.role === 'worker' ? `#${p.slot ?? '?'} ${p.pid}` : `${role} ${p.pid}`, lane: lane.el });
  }
  for (const [root, tree] of trees) updateTree(root, tree, clustered.has(root));
  $('#empty').hidden = trees.size > 0;
  return current;
}

function ensureTree(root: number): Tree {
  const known = trees.get(root);
  if (known) return known;
  const title = el('h3');
  const lanesEl = el('div', { class: 'lanes' });
  const tree = { el: el('div', { class: 'tree', 'data-root': String(root) }, title, lanesEl), title, lanes: lanesEl };
  trees.set(root, tree);
  const after = [...trees.keys()].filter((r) => r > root).sort((a, b) => a - b)[0];
  $('#trees').insertBefore(tree.el, after === undefined ? null : trees.get(after)!.el);
  return tree;
}

function updateTree(root: number, tree: Tree, clustered: boolean) {
  const slots = [...lanes.values()].filter((l) => l.root === root && l.order > 0).length;
  const text = clustered ? `service ${root} · cluster, ${slots} worker slot${slots === 1 ? '' : 's'}` : `service ${root} · single process`;
  if (tree.title.textContent !== text) tree.title.textContent = text;
}

function ensureLane(w: { root: number; key: string; order: number }, tree: Tree): Lane {
  const known = lanes.get(w.key);
  if (known) return known;
  const [title, status, state, history] = [el('span', { class: 'title' }), el('span', { class: 'status' }), el('div', { class: 'state' }), el('div', { class: 'history' })];
  const lane: Lane = { root: w.root, order: w.order, el: el('div', { class: 'lane', 'data-lane': w.key }, el('header', {}, title, status), state, history), title, status, state, history, shown: '' };
  lanes.set(w.key, lane);
  const after = [...lanes.values()].filter((l) => l.root === w.root && l.order > w.order && l.el.isConnected).sort((a, b) => a.order - b.order)[0];
  tree.lanes.insertBefore(lane.el, after ? after.el : null);
  return lane;
}

function updateLane(lane: Lane, procs: LiveProcess[], role: string) {
  const p = procs[procs.length - 1]!;
  const key = JSON.stringify([p, procs.length, role]);
  if (key === lane.shown) return;
  lane.shown = key;
  Object.assign(lane.el.dataset, {
    pid: String(p.pid),
    role: p.role ?? '',
    slot: p.slot === null ? '' : String(p.slot),
    status: p.status,
    state: p.state ?? '',
    exitCode: p.exitCode === null ? '' : String(p.exitCode),
    signal: p.signal ?? '',
  });
  lane.title.textContent = `${role} · pid ${p.pid}`;
  lane.status.dataset.status = p.status;
  lane.status.textContent = statusText(p);
  lane.state.textContent = !p.state ? 'forked, not connected yet' : isLive(p) ? `${p.state} · since ${time(p.since)}` : `${p.state} · ${ending(p)} at ${time(p.endedAt)}`;
  const earlier = procs.slice(0, -1);
  const recent = earlier.slice(-3).map((q) => `pid ${q.pid} ${ending(q)}`);
  lane.history.textContent = earlier.length ? `earlier: ${recent.join('; ')}${earlier.length > 3 ? ` (+${earlier.length - 3} more)` : ''}` : '';
}
