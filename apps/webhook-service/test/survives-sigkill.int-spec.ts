import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { TrackerEvent } from '@tracker/contracts';
import { aPledge, aPledgeAmendment, freePort, TEST_AUTH_TOKENS, waitFor } from '@tracker/testing';
import { verifyDelivery } from '../src/deliveries/signing';
import { ADMIN, subscribe, WebhookHarness } from './webhook-harness';
import { WebhookReceiver } from './webhook-receiver';

const MAIN = join(__dirname, '..', 'src', 'main.ts');

/** webhook-service as its own process (`src/main.ts`), as `npm start` runs it. */
async function startChild(
  harness: WebhookHarness,
): Promise<{ process: ChildProcess; url: string; exited: Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', MAIN], {
    env: {
      ...process.env,
      ...harness.env({
        WEBHOOK_TIMEOUT: '1s',
        WEBHOOK_BACKOFF_INITIAL: '50ms',
        WEBHOOK_BACKOFF_MAX: '200ms',
      }),
      PORT: String(port),
      AUTH_TOKENS: TEST_AUTH_TOKENS,
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    'the webhook-service child to be ready',
    async () => (await fetch(`${url}/health/ready`)).ok,
    { timeoutMs: 45_000, intervalMs: 100 },
  );
  return { process: child, url, exited };
}

describe('webhook-service killed mid-stream', () => {
  let harness: WebhookHarness;
  let receiver: WebhookReceiver;
  let child: Awaited<ReturnType<typeof startChild>> | undefined;

  beforeAll(async () => {
    harness = await WebhookHarness.create('webhook-kill');
    // The first five deliveries are answered, then every request hangs: the kill always lands
    // mid-stream, with a delivery in flight, however fast or slow the machine is.
    receiver = await WebhookReceiver.start((n) => (n <= 5 ? 200 : 'hang'));
  });

  afterAll(async () => {
    child?.process.kill('SIGKILL');
    await child?.exited;
    await receiver?.stop();
    await harness?.close();
  });

  it('loses no delivery to a SIGKILL: every event arrives, in order, signed, after the restart', async () => {
    child = await startChild(harness);
    const { secret } = await subscribe(child.url, ADMIN, {
      url: receiver.url,
      eventTypes: ['tracker.pledge.announced.v1', 'tracker.pledge.amended.v1'],
    });
    const pledge = aPledge().withQuantity(1000).build();
    const events: TrackerEvent[] = [aPledge().withPledgeId(pledge.pledgeId).buildEvent()];
    for (let index = 1; index < 60; index++) {
      events.push(
        aPledgeAmendment()
          .forPledge(pledge)
          .withQuantity(1000 + index)
          .buildEvent(),
      );
    }
    await harness.publish(...events.slice(0, 40));
    await waitFor('some deliveries before the kill', () => receiver.delivered.length >= 5, {
      timeoutMs: 20_000,
      intervalMs: 5,
    });
    await waitFor('a delivery in flight at the kill', () => receiver.received.length > 5, {
      timeoutMs: 20_000,
      intervalMs: 5,
    });
    child.process.kill('SIGKILL');
    await child.exited;
    expect(receiver.delivered).toHaveLength(5);
    receiver.behaviour = () => 200;

    // More events while it is down, then a restart on the same database, group and topics.
    await harness.publish(...events.slice(40));
    child = await startChild(harness);
    await waitFor(
      'every event after the restart',
      () => new Set(receiver.delivered.map((entry) => entry.id)).size === events.length,
      { timeoutMs: 45_000, intervalMs: 50 },
    );

    const arrivals = receiver.delivered.map((entry) => entry.id);
    // At least once: the delivery in flight at the kill may arrive twice (receivers dedupe on
    // webhook-id); the first arrivals are exactly the events, in order.
    expect([...new Set(arrivals)]).toEqual(events.map((event) => event.id));
    expect(arrivals.length - events.length).toBeLessThanOrEqual(1);
    for (const entry of receiver.received) {
      expect(verifyDelivery(secret, entry.id, entry.timestamp, entry.body, entry.signature)).toBe(
        true,
      );
    }
    const queued = await harness.database.query<{ n: string; delivered: string }>(
      `select count(*) as n, count(*) filter (where status = 'delivered') as delivered
       from deliveries`,
    );
    expect(queued[0]).toEqual({ n: String(events.length), delivered: String(events.length) });
  });
});
