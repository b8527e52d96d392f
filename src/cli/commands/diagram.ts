import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { info } from '../../core/log.js';
import type { ParsedCommand } from '../commands.js';
import { usageFail } from '../args.js';

/** The documents that embed the diagram between their marker lines. */
export const DIAGRAM_DOCUMENTS = ['README.md', 'specs/single-process-single-worker.md'];

export async function run({ values, positionals }: ParsedCommand) {
  const [{ lifecycleMachine }, { lifecycleDiagram, embedDiagram, DIAGRAM_START, DIAGRAM_END }] = await Promise.all([
    import('../../../machines/lifecycle.js'),
    import('../../diagram/mermaid.js'),
  ]);
  const diagram = lifecycleDiagram(lifecycleMachine);
  if (!values.write) {
    if (positionals.length > 0) usageFail('diagram takes files only with --write');
    process.stdout.write(diagram);
    return;
  }
  for (const file of positionals.length > 0 ? positionals : DIAGRAM_DOCUMENTS) {
    const path = resolve(file);
    const text = await readFile(path, 'utf8').catch(() => usageFail(`diagram --write: cannot read ${path}; run it from the package root or name the files`));
    const updated = embedDiagram(text, diagram);
    if (updated === undefined) usageFail(`diagram --write: ${path} has no "${DIAGRAM_START}" … "${DIAGRAM_END}" lines; add them where the diagram goes`);
    if (updated !== text) await writeFile(path, updated);
    info(updated === text ? 'diagram-unchanged' : 'diagram-written', { file: path });
  }
}
