/**
 * The live page of `service-lifecycle inspect`: the statechart with each process's current state
 * marked, one lane per process of each service's tree, and the event log. Everything comes from
 * the relay's `/live` socket: a full `hello` on (re)connect, then batches of deltas. Drawing is
 * coalesced into one animation frame, so a burst of events (a crash loop) costs one update per frame.
 */
import { markChart, renderChart } from './chart.js';
import { $ } from './dom.js';
import { renderLog } from './event-log.js';
import { renderLanes } from './lanes.js';
import type { LiveDelta, LiveDiagram, LiveProcess, LogEntry, RelayMessage } from './live-types.js';

const MAX_LOG = 1_000;
const model = { processes: new Map<number, LiveProcess>(), log: [] as LogEntry[], diagram: undefined as LiveDiagram | undefined };
let rebuildLog = true;
let queued = false;
let retryMs = 500;

function connect() {
  const ws = new WebSocket(`ws://${location.host}/live`);
  ws.onopen = () => {
    retryMs = 500;
    setRelay(true, 'live');
  };
  ws.onmessage = (e) => {
    try {
      receive(JSON.parse(e.data as string) as RelayMessage);
    } catch (err) {
      console.warn('bad message from the relay', err);
    }
    schedule();
  };
  ws.onclose = () => {
    setRelay(false, 'relay gone: retrying…');
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 5_000);
  };
}

function setRelay(connected: boolean, text: string) {
  const pill = $('#relay');
  pill.dataset.connected = String(connected);
  pill.textContent = text;
}

function receive(msg: RelayMessage) {
  if (msg.type === 'batch') return msg.items.forEach(apply);
  const first = model.diagram?.text !== msg.diagram.text;
  model.diagram = msg.diagram;
  model.processes = new Map(msg.processes.map((p) => [p.pid, p]));
  model.log = msg.log;
  rebuildLog = true;
  // Mermaid (3.5 MB to parse) loads after the lanes and the log are drawn.
  if (first) void renderChart(msg.diagram).then(schedule);
}

function apply(delta: LiveDelta) {
  if (delta.type === 'process') model.processes.set(delta.process.pid, delta.process);
  else if (delta.type === 'forget') model.processes.delete(delta.pid);
  else {
    model.log.push(delta.entry);
    if (model.log.length > MAX_LOG) model.log.splice(0, model.log.length - MAX_LOG);
  }
}

function schedule() {
  if (queued) return;
  queued = true;
  requestAnimationFrame(() => {
    queued = false;
    markChart(renderLanes(model.processes.values()));
    renderLog(model.log, rebuildLog);
    rebuildLog = false;
  });
}

connect();
