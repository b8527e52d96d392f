import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { lifecycleMachine } from '../machines/lifecycle.js';
import { DIAGRAM_DOCUMENTS } from '../src/cli/commands/diagram.js';
import { embedDiagram, lifecycleDiagram } from '../src/diagram/mermaid.js';
import { declaredTransitions, pathOf, stateNodes } from '../src/diagram/transitions.js';
import { CLI, REPO } from './helpers/service.js';

const diagram = lifecycleDiagram(lifecycleMachine);

test.each(DIAGRAM_DOCUMENTS)('%s embeds the diagram generated from the machine (fix: npm run diagram -- --write)', (file) => {
  const text = readFileSync(join(REPO, file), 'utf8');
  const embedded = embedDiagram(text, diagram);
  expect(embedded, `${file} has no diagram markers`).toBeDefined();
  expect(text).toBe(embedded);
});

test('every state, event and guard of the machine is in the diagram', () => {
  for (const node of stateNodes(lifecycleMachine).slice(1)) expect(diagram).toContain(`${node.key}`);
  for (const t of declaredTransitions(lifecycleMachine)) {
    const event = t.event.replace(/^xstate\.(done|error)\.actor\.(.+)$/, (_m, kind, id) => `${id === '*' ? 'an actor' : id} ${kind === 'done' ? 'done' : 'failed'}`);
    expect(diagram).toContain(event);
    if (t.guard) expect(diagram).toContain(`[${t.guard}]`);
  }
  expect(diagram.startsWith('stateDiagram-v2\n')).toBe(true);
  expect(diagram).toContain(`${pathOf(lifecycleMachine.root.states.exited!)} --> [*]`);
});

test('`service-lifecycle diagram` prints the same text', () => {
  expect(execFileSync(process.execPath, [CLI, 'diagram'], { encoding: 'utf8' })).toBe(diagram);
});
