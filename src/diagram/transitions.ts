/**
 * Every transition a statechart declares, read from the machine's own definition: the diagram is
 * drawn from this list, and the model-based tests measure their coverage against it.
 */
import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';

export interface DeclaredTransition {
  /** Unique and readable: `servingInline.listening --SIGTERM--> draining`. */
  key: string;
  /** Dotted path of the state that declares it; '' for the machine's root. */
  source: string;
  event: string;
  guard?: string;
  /** Dotted paths of the targets; empty for a transition that stays put (actions only). */
  targets: string[];
  actions: string[];
}

export const pathOf = (node: AnyStateNode) => node.path.join('.');

const nameOf = (item: unknown): string => {
  if (typeof item === 'string') return item;
  if (typeof item === 'function') return item.name || 'inline';
  return String((item as { type?: unknown })?.type ?? 'inline');
};

/** The key of one transition definition, for matching what an actor took against what is declared. */
export function transitionKey(t: AnyTransitionDefinition): string {
  const guard = t.guard ? ` [${nameOf(t.guard)}]` : '';
  const targets = t.target?.length ? t.target.map(pathOf).join(',') : '(stays)';
  return `${pathOf(t.source) || '(root)'} --${t.eventType}${guard}--> ${targets}`;
}

/** All state nodes, parents before children, in document order. */
export function stateNodes(machine: AnyStateMachine): AnyStateNode[] {
  const all: AnyStateNode[] = [];
  const visit = (node: AnyStateNode) => {
    all.push(node);
    for (const child of Object.values(node.states) as AnyStateNode[]) visit(child);
  };
  visit(machine.root);
  return all;
}

export function declaredTransitions(machine: AnyStateMachine): DeclaredTransition[] {
  return stateNodes(machine).flatMap((node) =>
    [...node.transitions.values()].flat().map((t) => ({
      key: transitionKey(t),
      source: pathOf(node),
      event: t.eventType,
      ...(t.guard ? { guard: nameOf(t.guard) } : {}),
      targets: (t.target ?? []).map(pathOf),
      actions: t.actions.map(nameOf),
    })),
  );
}
