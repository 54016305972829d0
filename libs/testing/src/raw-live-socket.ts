import WebSocket from 'ws';

/** What a raw socket reads of one `update`: its channel and its cause's event id. */
export type OnUpdate = (channel: string, causeId: string) => void;

function stringAfter(text: string, marker: string): string {
  const at = text.indexOf(marker) + marker.length;
  return text.slice(at, text.indexOf('"', at));
}

/**
 * A `/live` client that speaks Engine.IO 4 / Socket.IO 5 over `ws` itself and reads no more of
 * each update than its channel and cause id: 1,000 full Socket.IO clients in one process would
 * measure their own parsing, not the gateway. Answers pings, subscribes once connected, resolves
 * when the subscription is acknowledged.
 */
export function rawSocket(
  url: string,
  token: string,
  channels: readonly string[],
  onUpdate: OnUpdate,
): Promise<WebSocket> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
  return new Promise<WebSocket>((subscribed, fail) => {
    ws.on('error', fail);
    // Engine.IO text frames arrive as one Buffer each.
    ws.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      if (text.startsWith('42/live,["update"')) {
        onUpdate(stringAfter(text, '"channel":"'), stringAfter(text, '"cause":{"id":"'));
      } else if (text === '2') ws.send('3');
      else if (text.startsWith('0{')) ws.send(`40/live,${JSON.stringify({ token })}`);
      else if (text.startsWith('40/live,')) {
        ws.send(`42/live,1${JSON.stringify(['subscribe', { channels }])}`);
      } else if (text.startsWith('43/live,1')) {
        if (text.includes('"ok":true')) subscribed(ws);
        else fail(new Error(`subscribe refused: ${text}`));
      } else if (text.startsWith('44/live,')) fail(new Error(`connect refused: ${text}`));
    });
  });
}

/** Connects `count` raw sockets, 100 at a time; socket `index` subscribes to `channels(index)`. */
export async function connectRawSockets(
  url: string,
  token: string,
  count: number,
  channels: (index: number) => readonly string[],
  onUpdate: (index: number, channel: string, causeId: string) => void,
): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let start = 0; start < count; start += 100) {
    const batch = Array.from({ length: Math.min(100, count - start) }, (_, offset) => {
      const index = start + offset;
      return rawSocket(url, token, channels(index), (channel, causeId) =>
        onUpdate(index, channel, causeId),
      );
    });
    sockets.push(...(await Promise.all(batch)));
  }
  return sockets;
}
