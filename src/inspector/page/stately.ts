/**
 * The bridge to the hosted Stately inspector (it needs the internet): the relay's raw inspection
 * events (`/raw`) are handed to the embedded inspector once it says it is ready, and only to it.
 */
const STATELY = 'https://stately.ai';
const ui = document.getElementById('ui') as HTMLIFrameElement;
const waiting: unknown[] = [];
let ready = false;

addEventListener('message', (e) => {
  if (e.origin !== STATELY || (e.data as { type?: string })?.type !== '@statelyai.connected') return;
  ready = true;
  for (const event of waiting.splice(0)) ui.contentWindow!.postMessage(event, STATELY);
});

const socket = new WebSocket(`ws://${location.host}/raw`);
socket.onmessage = (e) => {
  const event: unknown = JSON.parse(e.data as string);
  if (ready) ui.contentWindow!.postMessage(event, STATELY);
  else waiting.push(event);
};
