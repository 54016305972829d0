import { waitFor } from '@tracker/testing';
import { io, Socket } from 'socket.io-client';
import request from 'supertest';
import {
  ClientToServerEvents,
  ServerToClientEvents,
  SubscribeReply,
} from '../src/live/live.events';
import { FIXTURE_NAMESPACE } from './read-model-fixture';
import { ReadModelFixture, RunningGateway, startGateway, TOKENS } from './gateway-harness';

type RawSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const STREAM_ENTRIES = 100_000;
const SOCKETS = 200;

describe('a flood of /live resumes from the stream start', () => {
  let readModel: ReadModelFixture;
  let gateway: RunningGateway;
  let since: string;
  const sockets: RawSocket[] = [];

  beforeAll(async () => {
    readModel = await ReadModelFixture.create('resume-flood', { streamMaxLength: 1_000_000 });
    await readModel.pledge('p-1', { donor: 'DE', pledged: 10 });
    // The oldest cursor there is: the stream's first entry.
    since = (await readModel.snapshot(['overview'])).cursor;
    const epoch = since.slice(0, since.lastIndexOf('.'));
    // A long history of another channel, written straight to the change stream in bulk.
    const redis = readModel.client();
    const stream = `{${FIXTURE_NAMESPACE}}:${epoch}:stream`;
    for (let written = 0; written < STREAM_ENTRIES; written += 5000) {
      const pipeline = redis.pipeline();
      for (let n = 0; n < 5000; n += 1) {
        pipeline.xadd(stream, '*', 'c', 'item:NOISE', 'v', '{"n":1}', 'k', '{}');
      }
      await pipeline.exec();
    }
    expect(await redis.xlen(stream)).toBeGreaterThanOrEqual(STREAM_ENTRIES);
    // Every other setting at its default: LIVE_REPLAY_CAP 10,000, LIVE_RESUME_CONCURRENCY 1.
    gateway = await startGateway(readModel, { LIVE_MAX_SOCKETS_PER_TOKEN: String(SOCKETS) });
  });

  afterAll(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await gateway?.close();
    await readModel?.cleanup();
  });

  // Fairness is counted, not timed: a REST read that waited behind the flood's Redis work would
  // see many resume answers arrive while it was outstanding, however fast or slow the machine.
  it('answers each with a reset past LIVE_REPLAY_CAP while REST reads keep their turn at Redis', async () => {
    await Promise.all(
      Array.from({ length: SOCKETS }, async () => {
        const socket: RawSocket = io(`${gateway.url}/live`, {
          auth: { token: TOKENS.admin },
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
        });
        sockets.push(socket);
        await new Promise<void>((resolve, reject) => {
          socket.once('connect', resolve);
          socket.once('connect_error', reject);
        });
      }),
    );
    const overview = () =>
      request(gateway.url).get('/v1/overview').set('Authorization', `Bearer ${TOKENS.admin}`);
    await overview().expect(200); // warm

    const replies: SubscribeReply[] = [];
    const flood = sockets.map((socket) =>
      socket
        .timeout(60_000)
        .emitWithAck('subscribe', { channels: ['overview'], since })
        .then((reply: SubscribeReply) => replies.push(reply)),
    );
    const answeredDuringRead: number[] = [];
    while (replies.length < SOCKETS) {
      const before = replies.length;
      await overview().expect(200);
      answeredDuringRead.push(replies.length - before);
    }
    await Promise.all(flood);
    await waitFor('every resume answered', () => replies.length === SOCKETS);

    expect(replies.every((reply) => reply.ok && 'reset' in reply && reply.reason === 'cap')).toBe(
      true,
    );
    const most = Math.max(...answeredDuringRead);
    process.stdout.write(
      `resume flood: ${answeredDuringRead.length} REST reads meanwhile, at most ${most} resumes answered during one\n`,
    );
    // With LIVE_RESUME_CONCURRENCY 1 a read waits for at most the one resume ahead of it; a read
    // queued behind every resume at once would see all of them answered first.
    expect(answeredDuringRead.length).toBeGreaterThan(SOCKETS / 10);
    expect(most).toBeLessThanOrEqual(SOCKETS / 20);
  });
});
