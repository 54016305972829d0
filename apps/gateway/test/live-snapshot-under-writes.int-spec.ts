// Catches a snapshot whose values and cursor are read in two steps (the values, then the stream
// position): a write landing between them is behind the cursor yet missing from the values, so
// the client never gets it. Each pledge here is written exactly once, so nothing later repairs
// the loss, and every subscription runs while writers are busy.
import { LiveClient } from '../dashboard/live-client';
import {
  Clients,
  holdsServerState,
  ReadModelFixture,
  RunningGateway,
  startGateway,
  TOKENS,
} from './gateway-harness';

const CLIENTS = 60;
/** Pledge channels per client: the next ones the writers will write, each exactly once. */
const AHEAD = 90;
/** Writer loops running at once, so that a write is nearly always waiting at Redis. */
const WRITERS = 3;
const DONORS = ['DE', 'FR'];
const ITEMS = ['AMMO-155MM', 'MBT'];

describe('/live subscriptions while the read model is being written', () => {
  const clients = new Clients();
  let readModel: ReadModelFixture;
  let gateway: RunningGateway;

  beforeAll(async () => {
    readModel = await ReadModelFixture.create('live-snapshot-writes');
    gateway = await startGateway(readModel, {
      LIVE_MAX_SOCKETS_PER_TOKEN: String(CLIENTS + 10),
      LIVE_MAX_UPDATES_PER_SECOND: '1000',
    });
  });

  afterAll(async () => {
    clients.closeAll();
    await gateway?.close();
    await readModel?.cleanup();
  });

  it('gives every client a snapshot and cursor that agree: each ends with the server state', async () => {
    let next = 0;
    let writing = true;
    const writeLoop = async () => {
      while (writing) {
        const n = next++;
        await readModel.pledge(`w-${n}`, {
          donor: DONORS[n % DONORS.length],
          itemCode: ITEMS[n % ITEMS.length],
          pledged: 1000 + n,
        });
      }
    };
    const writers = Array.from({ length: WRITERS }, writeLoop);
    const subscribed: { client: LiveClient; channels: string[] }[] = [];
    /** Pledges written while each subscription was under way. */
    const during: number[] = [];
    try {
      for (let index = 0; index < CLIENTS; index += 1) {
        const from = next;
        const channels = [
          'overview',
          `donor:${DONORS[index % DONORS.length]}`,
          ...Array.from({ length: AHEAD }, (_, offset) => `pledge:w-${from + offset}`),
        ];
        subscribed.push({
          client: await clients.live(gateway.url, TOKENS.admin, channels),
          channels,
        });
        during.push(next - from);
      }
    } finally {
      writing = false;
      await Promise.all(writers);
    }
    expect(Math.min(...during)).toBeGreaterThan(0);
    for (const { client, channels } of subscribed)
      await holdsServerState(client, readModel, channels);
  }, 60_000);
});
