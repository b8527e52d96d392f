/** Where the browser loads the Stately inspector UI from (it needs the internet). */
export const STATELY_INSPECTOR_UI = 'https://stately.ai/inspect';

/**
 * The page `service-lifecycle inspect` serves: it embeds the Stately inspector and hands it the
 * events this server relays, holding them until the inspector says it is ready.
 */
export function bridgePage(ui: string = STATELY_INSPECTOR_UI): string {
  return `<!doctype html>
<html>
<head><meta charset="utf-8"><title>service-lifecycle inspector</title>
<style>html,body,iframe{margin:0;width:100%;height:100%;border:0}</style></head>
<body>
<iframe id="ui" src="${ui}"></iframe>
<script>
  const ui = document.getElementById('ui');
  const waiting = [];
  let ready = false;
  addEventListener('message', (e) => {
    if (e.data && e.data.type === '@statelyai.connected') {
      ready = true;
      for (const event of waiting.splice(0)) ui.contentWindow.postMessage(event, '*');
    }
  });
  const socket = new WebSocket('ws://' + location.host);
  socket.onmessage = (e) => {
    const event = JSON.parse(e.data);
    if (ready) ui.contentWindow.postMessage(event, '*');
    else waiting.push(event);
  };
</script>
</body>
</html>
`;
}
