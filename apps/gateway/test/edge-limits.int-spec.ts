import { waitFor } from '@tracker/testing';
import { io, Socket } from 'socket.io-client';
import request from 'supertest';
import { ClientToServerEvents, ServerToClientEvents } from '../src/live/live.events';
import { ReadModelFixture, RunningGateway, startGateway, TOKENS } from './gateway-harness';

type RawSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How a handshake ended: connected, or refused with the error's message and data. */
type Handshake =
  { connected: true; socket: RawSocket } | { connected: false; error: Error & { data?: unknown } };

describe('the edge against guessing and flooding', () => {
  let readModel: ReadModelFixture;
  const gateways: RunningGateway[] = [];
  const sockets: RawSocket[] = [];

  async function gateway(env: Record<string, string> = {}): Promise<RunningGateway> {
    const started = await startGateway(readModel, env);
    gateways.push(started);
    return started;
  }

  function handshake(url: string, auth: Record<string, unknown>): Promise<Handshake> {
    const socket: RawSocket = io(`${url}/live`, {
      auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    return new Promise((resolve) => {
      socket.once('connect', () => resolve({ connected: true, socket }));
      socket.once('connect_error', (error) => {
        socket.close();
        resolve({ connected: false, error });
      });
    });
  }

  beforeAll(async () => {
    readModel = await ReadModelFixture.create('edge-limits');
    await readModel.pledge('de-1', { donor: 'DE', pledged: 10 });
  });

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await Promise.all(gateways.splice(0).map((started) => started.close()));
  });

  afterAll(async () => {
    await readModel.cleanup();
  });

  describe('tokens match whole', () => {
    const prefix = TOKENS.admin.slice(0, -1);
    const suffixed = `${TOKENS.admin}x`;

    it.each([
      ['a prefix of a configured token', prefix],
      ['a configured token with a suffix', suffixed],
      ['a configured token in another case', TOKENS.admin.toUpperCase()],
    ])('refuses %s over HTTP with 401', async (_label, token) => {
      const { url } = await gateway();
      const response = await request(url)
        .get('/v1/overview')
        .set('Authorization', `Bearer ${token}`)
        .expect(401)
        .expect('Content-Type', /application\/problem\+json/);
      expect(response.body).toMatchObject({ code: 'unauthenticated' });
      await request(url)
        .get('/v1/overview')
        .set('Authorization', `Bearer ${TOKENS.admin}`)
        .expect(200);
    });

    it.each([
      ['a prefix of a configured token', prefix],
      ['a configured token with a suffix', suffixed],
    ])('refuses %s on the /live handshake', async (_label, token) => {
      const { url } = await gateway();
      const refused = await handshake(url, { token });
      expect(refused).toMatchObject({ connected: false, error: { message: 'unauthorized' } });
      await expect(handshake(url, { token: TOKENS.admin })).resolves.toMatchObject({
        connected: true,
      });
    });
  });

  describe('failed authentication, per client address', () => {
    it('meets 300 wrong tokens over HTTP with 429 and Retry-After, a valid token too', async () => {
      const { url } = await gateway();
      const statuses: number[] = [];
      let limited: request.Response | undefined;
      for (let n = 0; n < 300; n += 1) {
        const response = await request(url)
          .get('/v1/overview')
          .set('Authorization', `Bearer wrong-guess-${String(n).padStart(12, '0')}`);
        statuses.push(response.status);
        if (response.status === 429) limited ??= response;
      }
      // The default AUTH_FAILURES_PER_MINUTE: 30 answers 401, every later one 429.
      expect(statuses.filter((status) => status === 401)).toHaveLength(30);
      expect(statuses.slice(30).every((status) => status === 429)).toBe(true);
      expect(limited!.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited!.body).toMatchObject({
        status: 429,
        code: 'too-many-failed-authentications',
        errors: [{ field: 'Authorization' }],
      });
      const valid = await request(url)
        .get('/v1/overview')
        .set('Authorization', `Bearer ${TOKENS.admin}`)
        .expect(429);
      expect(Number(valid.headers['retry-after'])).toBeGreaterThan(0);
      // Probes stay open to the address: orchestrators must still see the service.
      await request(url).get('/health/live').expect(200);
    });

    it('meets 300 wrong tokens on the /live handshake with retryAfter, a valid token too', async () => {
      const { url } = await gateway();
      const codes: string[] = [];
      let retryAfter: unknown;
      for (let n = 0; n < 300; n += 1) {
        const result = await handshake(url, {
          token: `wrong-guess-${String(n).padStart(12, '0')}`,
        });
        if (result.connected) throw new Error('a wrong token was accepted');
        codes.push(result.error.message);
        const data = result.error.data as { code: string; retryAfter?: number };
        if (data.code === 'too-many-failed-authentications') retryAfter ??= data.retryAfter;
      }
      expect(codes.filter((code) => code === 'unauthorized')).toHaveLength(30);
      expect(codes.slice(30).every((code) => code === 'too-many-failed-authentications')).toBe(
        true,
      );
      expect(retryAfter).toEqual(expect.any(Number));
      expect(retryAfter as number).toBeGreaterThan(0);
      const valid = await handshake(url, { token: TOKENS.admin });
      expect(valid).toMatchObject({
        connected: false,
        error: {
          data: {
            code: 'too-many-failed-authentications',
            retryAfter: expect.any(Number) as unknown,
          },
        },
      });
      // The address is blocked on HTTP as well: one budget for both doors.
      await request(url)
        .get('/v1/overview')
        .set('Authorization', `Bearer ${TOKENS.admin}`)
        .expect(429);
    });

    it('honours AUTH_FAILURES_PER_MINUTE', async () => {
      const { url } = await gateway({ AUTH_FAILURES_PER_MINUTE: '3' });
      for (let n = 0; n < 3; n += 1) await request(url).get('/v1/overview').expect(401);
      await request(url).get('/v1/overview').expect(429);
    });
  });

  it('answers a token over RATE_LIMIT_PER_MINUTE 429 with Retry-After, others unaffected', async () => {
    const { url } = await gateway({ RATE_LIMIT_PER_MINUTE: '5' });
    const read = (token: string) =>
      request(url).get('/v1/overview').set('Authorization', `Bearer ${token}`);
    for (let n = 0; n < 5; n += 1) await read(TOKENS.ops).expect(200);
    const limited = await read(TOKENS.ops).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ status: 429, code: 'rate-limited' });
    await read(TOKENS.admin).expect(200);
  });

  describe('/live caps', () => {
    it('refuses a socket past LIVE_MAX_SOCKETS_PER_TOKEN, counting per token', async () => {
      const { url } = await gateway({ LIVE_MAX_SOCKETS_PER_TOKEN: '3' });
      const held: RawSocket[] = [];
      for (let n = 0; n < 3; n += 1) {
        const result = await handshake(url, { token: TOKENS.ops });
        if (!result.connected) throw result.error;
        held.push(result.socket);
      }
      const refused = await handshake(url, { token: TOKENS.ops });
      expect(refused).toMatchObject({
        connected: false,
        error: { message: 'too-many-sockets', data: { code: 'too-many-sockets', limit: 3 } },
      });
      await expect(handshake(url, { token: TOKENS.admin })).resolves.toMatchObject({
        connected: true,
      });
      // A socket that closes frees its place.
      held[0].close();
      await waitFor('a place for the token again', async () => {
        const result = await handshake(url, { token: TOKENS.ops });
        return result.connected;
      });
    });

    it('refuses channels past LIVE_MAX_CHANNELS_PER_SOCKET, keeping those held', async () => {
      const { url } = await gateway({ LIVE_MAX_CHANNELS_PER_SOCKET: '3' });
      const result = await handshake(url, { token: TOKENS.admin });
      if (!result.connected) throw result.error;
      const socket = result.socket;
      await expect(
        socket.emitWithAck('subscribe', { channels: ['overview', 'donor:DE', 'pledge:de-1'] }),
      ).resolves.toMatchObject({ ok: true });
      const refused = await socket.emitWithAck('subscribe', { channels: ['item:MBT'] });
      expect(refused).toMatchObject({
        ok: false,
        error: {
          code: 'too-many-channels',
          message: expect.stringContaining('LIVE_MAX_CHANNELS_PER_SOCKET') as unknown,
        },
      });
      // Channels already held do not count twice; after an unsubscribe there is room again.
      await expect(
        socket.emitWithAck('subscribe', { channels: ['overview'] }),
      ).resolves.toMatchObject({ ok: true });
      await socket.emitWithAck('unsubscribe', { channels: ['donor:DE'] });
      await expect(
        socket.emitWithAck('subscribe', { channels: ['item:MBT'] }),
      ).resolves.toMatchObject({ ok: true });
    });
  });
});
