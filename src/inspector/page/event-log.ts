/** The event log, newest first: transitions, forks and exits, at most MAX_ROWS rows. */
import { $, el } from './dom.js';
import { eventLabel, time } from './format.js';
import type { LogEntry } from './live-types.js';

const MAX_ROWS = 500;
let shownSeq = 0;

/** Lets a dotted state name wrap after its dots. */
const dotted = (s: string | null | undefined): Array<Node | string> => (s ?? '').split('.').flatMap((part, i) => (i ? ['.', el('wbr'), part] : [part]));

function row(e: LogEntry): HTMLTableRowElement {
  const who = `${e.role === 'worker' ? `#${e.slot ?? '?'}` : (e.role ?? '?')} ${e.pid}`;
  let to = dotted(e.to);
  let what = eventLabel(e.event);
  if (e.kind === 'exit') [to, what] = [['exit'], e.signal ? `killed by ${e.signal}` : `exit code ${e.code ?? '?'}${e.error ? ` (${e.error})` : ''}`];
  if (e.kind === 'lost') [to, what] = [['—'], 'connection lost, no final state'];
  if (e.kind === 'fork') [to, what] = [['—'], `forked into slot ${e.slot}`];
  const tr = el('tr', { 'data-kind': e.kind, 'data-pid': String(e.pid), 'data-seq': String(e.seq) }, el('td', {}, time(e.t)), el('td', {}, who), el('td', {}, ...dotted(e.from)), el('td', {}, ...to), el('td', {}, what));
  if (e.event) tr.title = e.event;
  return tr;
}

/** `rebuild`: after a (re)connect, the whole log; otherwise only entries not shown yet are prepended. */
export function renderLog(log: LogEntry[], rebuild: boolean) {
  const body = $<HTMLTableSectionElement>('#log tbody');
  const fresh = rebuild ? log : log.filter((e) => e.seq > shownSeq);
  const rows = fresh.slice(-MAX_ROWS).reverse().map(row);
  if (rebuild) body.replaceChildren(...rows);
  else body.prepend(...rows);
  while (body.rows.length > MAX_ROWS) body.deleteRow(-1);
  if (log.length) shownSeq = log[log.length - 1]!.seq;
}
