import { waitFor } from '@tracker/testing';
import { DataSource } from 'typeorm';
import { io, Socket } from 'socket.io-client';
import { LiveClient } from '../dashboard/live-client';
import { ClientToServerEvents, ServerToClientEvents } from '../src/live/live.events';
import { LiveService } from '../src/live/live.service';
import {
  Clients,
  holdsServerState,
  ReadModelFixture,
  RunningGateway,
  startGateway,
  TOKENS,
} from './gateway-harness';

type RawSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const CROWD = 1000;
/** A thousand sockets on a shared two-core machine: more than the integration default. */
const SCALE_TIMEOUT_MS = 180_000;

describe('/live at scale', () => {
  const clients = new Clients();
  const sockets: RawSocket[] = [];
  let readModel: ReadModelFixture;
  let gateway: RunningGateway;

  function rawSocket(): RawSocket {
    const socket: RawSocket = io(`${gateway.url}/live`, {
      auth: { token: TOKENS.ops },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    sockets.push(socket);
    return socket;
  }

  beforeEach(async () => {
    readModel = await ReadModelFixture.create('live-scale');
    await readModel.pledge('p-0', { pledged: 1 });
  });

  afterEach(async () => {
    clients.closeAll();
    for (const socket of sockets.splice(0)) socket.disconnect();
    await gateway.close();
    await readModel.cleanup();
  });

  it(
    `fans one update out to ${CROWD} sockets`,
    async () => {
      gateway = await startGateway(readModel, { LIVE_MAX_SOCKETS_PER_TOKEN: String(CROWD + 10) });
      const received = new Set<string>();
      await Promise.all(
        Array.from({ length: CROWD }, async (_, index) => {
          const socket = rawSocket();
          socket.on('update', (update) => {
            if (update.cause.id === 'broadcast') received.add(`${index}`);
          });
          await socket.emitWithAck('subscribe', { channels: ['overview'] });
        }),
      );
      await readModel.pledge('p-0', { pledged: 2 }, 'broadcast');
      await waitFor(`all ${CROWD} sockets to receive the update`, () => received.size === CROWD, {
        timeoutMs: 20_000,
      });
    },
    SCALE_TIMEOUT_MS,
  );

  it(
    `serves ${CROWD} clients resuming at once from the change stream alone`,
    async () => {
      gateway = await startGateway(readModel, { LIVE_MAX_SOCKETS_PER_TOKEN: String(CROWD + 10) });
      const channels = ['overview', 'item:AMMO-155MM', 'donor:DE'];
      const crowd: LiveClient[] = [];
      // Connected a hundred at a time: the storm under test is the reconnection, not this.
      for (let start = 0; start < CROWD; start += 100) {
        crowd.push(
          ...(await Promise.all(
            Array.from({ length: 100 }, () => clients.live(gateway.url, TOKENS.ops, channels)),
          )),
        );
      }
      for (const client of crowd) client.dropConnection();
      for (let n = 0; n < 20; n += 1) await readModel.pledge(`p-${n}`, { pledged: 10 + n });
      await waitFor(
        'every client resumed',
        () => crowd.every((client: LiveClient) => client.resumes.replayed === 1),
        // The deadline catches a resume that never comes, not a slow one (npm run bench:live
        // measures speed): a thousand reconnections on two busy cores can take a minute.
        { timeoutMs: 120_000 },
      );
      await Promise.all(crowd.map((client) => holdsServerState(client, readModel, channels)));
      // Nothing but Redis behind the gateway: no database connection exists to touch.
      expect(() => gateway.app.get(DataSource, { strict: false })).toThrow();
    },
    SCALE_TIMEOUT_MS,
  );

  it(
    'lets a fast client keep its pace while a slow one stalls, then brings the slow one up to date',
    async () => {
      gateway = await startGateway(readModel, {
        LIVE_CLIENT_BUFFER: '20',
        LIVE_MAX_UPDATES_PER_SECOND: '1000',
      });
      const channels = Array.from({ length: 50 }, (_, n) => `pledge:p-${n}`);
      const slow = rawSocket();
      const slowState = new Map<string, unknown>();
      slow.on('update', (update) => slowState.set(update.channel, update.value));
      const ack = await slow.emitWithAck('subscribe', { channels });
      for (const [channel, value] of Object.entries(ack.ok ? ack.snapshot : {})) {
        slowState.set(channel, value);
      }
      const fast = await clients.live(gateway.url, TOKENS.ops, ['overview']);
      // The slow client stops reading its socket: the kernel buffers fill, then its outbox.
      const transport = slow.io.engine.transport as unknown as {
        ws: { _socket: { pause(): void; resume(): void } };
      };
      transport.ws._socket.pause();
      const live = gateway.app.get(LiveService);
      let n = 0;
      while (live.stats().merges === 0) {
        n += 1;
        await readModel.pledge(`p-${n % channels.length}`, { pledged: n, accepted: 0 });
      }
      const writtenAt = Date.now();
      await readModel.pledge('marker', { pledged: 1_000_000 }, 'marker');
      await waitFor('the fast client to see the marker', () => fast.newest?.cause.id === 'marker');
      expect(Date.now() - writtenAt).toBeLessThan(1000);
      transport.ws._socket.resume();
      await waitFor(
        'the slow client to catch up',
        async () => {
          const { values } = await readModel.snapshot(channels);
          return channels.every(
            (channel) => JSON.stringify(slowState.get(channel)) === JSON.stringify(values[channel]),
          );
        },
        { timeoutMs: 30_000 },
      );
    },
    SCALE_TIMEOUT_MS,
  );
});
