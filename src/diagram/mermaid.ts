/**
 * The lifecycle as a Mermaid `stateDiagram-v2`, generated from the machine definition: states
 * (with what they invoke or do on entry), events, guarded branches (as choice points) and the
 * transitions declared on the root. The README and the spec embed this text verbatim.
 */
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { declaredTransitions, pathOf, stateNodes, type DeclaredTransition } from './transitions.js';

/** The Mermaid id of a state: its dotted path with `_` for `.` (`servingInline_serving`). */
export const mermaidStateId = (path: string) => path.replace(/\./g, '_');
const idOf = mermaidStateId;
const parentOf = (path: string) => path.split('.').slice(0, -1).join('.');

/** `xstate.done.actor.loadConfig` reads better as `loadConfig done`; `xstate.error.actor.*` as `an actor failed`. */
function eventLabel(event: string): string {
  const outcome = /^xstate\.(done|error)\.actor\.(.+)$/.exec(event);
  if (!outcome) return event;
  if (outcome[2] === '*') return `an actor ${outcome[1] === 'done' ? 'done' : 'failed'}`;
  return `${outcome[2]} ${outcome[1] === 'done' ? 'done' : 'failed'}`;
}

/** A branch of a choice point: its guard, and what a branch that stays put does (or that it ignores the event). */
function branchLabel(t: DeclaredTransition): string {
  const guard = t.guard ? `[${t.guard}]` : '[else]';
  if (t.targets.length > 0) return guard;
  return t.actions.length > 0 ? `${guard} / ${t.actions.join(', ')}` : `${guard} ignored`;
}

function describeState(node: AnyStateNode): string[] {
  const what = [
    ...node.invoke.map((i) => `invoke ${typeof i.src === 'string' ? i.src : i.id}`),
    ...node.entry.map((a) => `entry ${typeof a === 'string' ? a : ((a as { type?: string }).type ?? 'inline')}`),
  ];
  return what.map((text) => `${idOf(pathOf(node))} : ${text}`);
}

/** Lines for one scope (the root or a compound state): its states, initial arrow and inner edges. */
function scopeLines(node: AnyStateNode, edgesByScope: Map<string, string[]>, indent: string): string[] {
  const lines: string[] = [];
  const children = Object.values(node.states) as AnyStateNode[];
  if (node.initial?.target?.[0]) lines.push(`${indent}[*] --> ${idOf(pathOf(node.initial.target[0]))}`);
  for (const child of children) {
    const id = idOf(pathOf(child));
    // Mermaid draws a state that has descriptions by those alone, unless it has a label.
    const label = child.key === id && describeState(child).length === 0 ? '' : `"${child.key}" as `;
    if (Object.keys(child.states).length > 0) {
      lines.push(`${indent}state ${label}${id} {`);
      lines.push(...scopeLines(child, edgesByScope, indent + '  '));
      lines.push(`${indent}}`);
    } else {
      lines.push(`${indent}state ${label}${id}`);
    }
    lines.push(...describeState(child).map((l) => indent + l));
    if (child.type === 'final') lines.push(`${indent}${id} --> [*]`);
  }
  lines.push(...(edgesByScope.get(pathOf(node)) ?? []).map((l) => indent + l));
  return lines;
}

/** Common ancestor scope of two state paths: where Mermaid needs the edge declared. */
function scopeOf(a: string, b: string): string {
  const pa = a.split('.');
  const pb = b.split('.');
  const common: string[] = [];
  for (let i = 0; i < Math.min(pa.length, pb.length) - 1 && pa[i] === pb[i]; i++) common.push(pa[i]!);
  return common.join('.');
}

export function lifecycleDiagram(machine: AnyStateMachine): string {
  const all = declaredTransitions(machine);
  const rootEdges = all.filter((t) => t.source === '');
  const edgesByScope = new Map<string, string[]>();
  const add = (scope: string, line: string) => edgesByScope.set(scope, [...(edgesByScope.get(scope) ?? []), line]);

  // Transitions that share a source and an event but branch on guards meet at a choice point.
  const groups = new Map<string, DeclaredTransition[]>();
  for (const t of all.filter((t) => t.source !== '')) groups.set(`${t.source} ${t.event}`, [...(groups.get(`${t.source} ${t.event}`) ?? []), t]);
  // Plain edges between the same two states share one arrow: `SIGTERM, SIGINT`.
  const plain = new Map<string, { scope: string; from: string; to: string; labels: string[] }>();
  for (const group of groups.values()) {
    const { source, event } = group[0]!;
    const label = eventLabel(event);
    if (group.length === 1 && !group[0]!.guard) {
      const t = group[0]!;
      const target = t.targets[0] ?? source;
      // A transition that stays put exists for its actions: show them.
      const text = t.targets.length === 0 ? `${label} / ${t.actions.join(', ')}` : label;
      const key = `${source} ${target}`;
      const edge = plain.get(key) ?? { scope: scopeOf(source, target), from: idOf(source), to: idOf(target), labels: [] };
      edge.labels.push(text);
      plain.set(key, edge);
      continue;
    }
    const choice = `${idOf(source)}_${label.replace(/\W+/g, '_').replace(/_+$/, '')}`;
    const scope = parentOf(source);
    add(scope, `state ${choice} <<choice>>`);
    add(scope, `${idOf(source)} --> ${choice} : ${label}`);
    for (const t of group) {
      const target = t.targets[0] ?? source;
      add(scopeOf(source, target), `${choice} --> ${idOf(target)} : ${branchLabel(t)}`);
    }
  }
  for (const edge of plain.values()) add(edge.scope, `${edge.from} --> ${edge.to} : ${edge.labels.join(', ')}`);

  const lines = ['stateDiagram-v2', ...scopeLines(machine.root, edgesByScope, '  ')];
  if (rootEdges.length > 0) {
    const anchor = idOf(rootEdges[0]!.targets[0] ?? pathOf(machine.root));
    lines.push(`  note right of ${anchor}`);
    lines.push('    in every state that does not handle it itself:');
    for (const t of rootEdges) lines.push(`    ${eventLabel(t.event)} → ${t.targets.join(', ')}`);
    lines.push('  end note');
  }
  return lines.join('\n') + '\n';
}

/** Every state of the machine (the root aside) by dotted path, with its Mermaid id: how the live page finds a state's node. */
export function diagramStateIds(machine: AnyStateMachine): Record<string, string> {
  return Object.fromEntries(
    stateNodes(machine)
      .filter((node) => node.path.length > 0)
      .map((node) => [pathOf(node), mermaidStateId(pathOf(node))]),
  );
}

export const DIAGRAM_START = '<!-- diagram:start -->';
export const DIAGRAM_END = '<!-- diagram:end -->';

/** The document with the text between its diagram markers replaced; undefined if it has no markers. */
export function embedDiagram(document: string, diagram: string): string | undefined {
  const start = document.indexOf(DIAGRAM_START);
  const end = document.indexOf(DIAGRAM_END, start);
  if (start < 0 || end < 0) return undefined;
  const block = `${DIAGRAM_START}\n\`\`\`mermaid\n${diagram}\`\`\`\n`;
  return document.slice(0, start) + block + document.slice(end);
}
