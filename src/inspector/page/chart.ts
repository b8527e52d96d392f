/**
 * The statechart, rendered by Mermaid (shipped with the relay) from the very text
 * `service-lifecycle diagram` prints, with a badge on the current state of each lane's process.
 * Mermaid 11 names a state's group `<renderId>-state-<stateId>-<n>`; the relay sends the id of
 * every state, and the chart says whether it found them all (`#diagram[data-diagram]`).
 */
import { $, el, svg } from './dom.js';
import { isLive } from './format.js';
import type { Current } from './lanes.js';
import type { LiveDiagram } from './live-types.js';

interface Mermaid {
  initialize(config: Record<string, unknown>): void;
  render(id: string, text: string): Promise<{ svg: string }>;
}

const RENDER_ID = 'live';
/** Room on the right of the drawing for the badges of the rightmost states. */
const BADGE_ROOM = 150;
const BADGE_H = 18;
const MAX_BADGES_PER_STATE = 8;

let nodes: Map<string, SVGGElement[]> | undefined;
let ids: Record<string, string> = {};
let mermaid: Promise<Mermaid | undefined> | undefined;

function loadMermaid(): Promise<Mermaid | undefined> {
  mermaid ??= new Promise((resolve) => {
    const script = el('script', { src: '/assets/mermaid.js' });
    script.onload = () => {
      const loaded = (window as unknown as { mermaid: Mermaid }).mermaid;
      loaded.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default' });
      resolve(loaded);
    };
    script.onerror = () => resolve(undefined);
    document.head.append(script);
  });
  return mermaid;
}

export async function renderChart(diagram: LiveDiagram): Promise<void> {
  const box = $('#diagram');
  const loaded = await loadMermaid();
  if (!loaded) {
    box.dataset.diagram = 'failed';
    box.replaceChildren(el('p', { class: 'failed' }, 'The diagram could not load; the lanes still show each state.'));
    return;
  }
  try {
    const { svg: drawing } = await loaded.render(RENDER_ID, diagram.text);
    box.innerHTML = drawing; // Mermaid's own output, sanitized by it (securityLevel strict)
    widen(box.querySelector('svg')!);
    ids = diagram.ids;
    nodes = indexNodes(box);
    const missing = Object.entries(ids).filter(([, id]) => !nodes!.has(id)).map(([path]) => path);
    box.dataset.diagram = missing.length ? 'incomplete' : 'ok';
    if (missing.length) $('#diagram-status').textContent = `cannot mark: ${missing.join(', ')} (did Mermaid's node ids change?)`;
  } catch (err) {
    box.dataset.diagram = 'failed';
    box.replaceChildren(el('p', { class: 'failed' }, `The diagram failed to render: ${(err as Error)?.message ?? err}`));
  }
}

function widen(drawing: SVGSVGElement) {
  const [x, y, w, h] = drawing.getAttribute('viewBox')!.split(/[ ,]+/).map(Number) as [number, number, number, number];
  drawing.setAttribute('viewBox', `${x} ${y} ${w + BADGE_ROOM} ${h}`);
  drawing.style.maxWidth = `${w + BADGE_ROOM}px`;
}

function indexNodes(root: HTMLElement): Map<string, SVGGElement[]> {
  const prefix = `${RENDER_ID}-state-`;
  const index = new Map<string, SVGGElement[]>();
  for (const g of root.querySelectorAll<SVGGElement>(`g[id^="${prefix}"]`)) {
    const id = g.id.slice(prefix.length).replace(/-\d+$/, '');
    if (!index.has(id)) index.set(id, []);
    index.get(id)!.push(g);
  }
  return index;
}

/** Marks each lane's current state: the node, its parents, and a badge per process. */
export function markChart(current: Current[]) {
  for (const c of current) c.lane.dataset.marked = '';
  if (!nodes) return;
  for (const g of document.querySelectorAll('#diagram .occupied, #diagram .occupied-parent')) g.classList.remove('occupied', 'occupied-parent', 'ended-only');
  for (const badges of document.querySelectorAll('#diagram g.badges')) badges.remove();
  const byNode = new Map<SVGGElement, Current[]>();
  for (const c of current) {
    if (!c.p.state) continue;
    for (const leaf of c.p.state.split(',')) {
      const node = nodes.get(ids[leaf] ?? '')?.[0];
      if (!node) continue;
      byNode.set(node, [...(byNode.get(node) ?? []), c]);
      c.lane.dataset.marked = leaf;
      const parts = leaf.split('.');
      if (isLive(c.p)) for (let i = 1; i < parts.length; i++) for (const g of nodes.get(ids[parts.slice(0, i).join('.')] ?? '') ?? []) g.classList.add('occupied-parent');
    }
  }
  for (const [node, here] of byNode) addBadges(node, here);
}

function addBadges(node: SVGGElement, here: Current[]) {
  node.classList.add('occupied');
  if (!here.some((c) => isLive(c.p))) node.classList.add('ended-only');
  const box = node.getBBox();
  const group = svg('g', { class: 'badges' });
  const sizers: Array<() => void> = [];
  here.slice(0, MAX_BADGES_PER_STATE).forEach((c, i) => {
    const text = c.p.status === 'exited' ? `${c.label} · ${c.p.signal ?? c.p.exitCode ?? '?'}` : c.label;
    const y = box.y + i * (BADGE_H + 2);
    const label = svg('text', { x: String(box.x + box.width + 11), y: String(y + BADGE_H / 2) }, text);
    const rect = svg('rect', { x: String(box.x + box.width + 6), y: String(y), width: '10', height: String(BADGE_H) });
    group.append(svg('g', { class: 'badge', 'data-pid': String(c.p.pid), 'data-status': c.p.status }, rect, label));
    sizers.push(() => rect.setAttribute('width', String(label.getComputedTextLength() + 10)));
  });
  if (here.length > MAX_BADGES_PER_STATE) {
    group.append(svg('text', { class: 'more', x: String(box.x + box.width + 8), y: String(box.y + MAX_BADGES_PER_STATE * (BADGE_H + 2) + 8) }, `+${here.length - MAX_BADGES_PER_STATE}`));
  }
  node.append(group);
  for (const size of sizers) size(); // text can be measured only once it is in the document
}
