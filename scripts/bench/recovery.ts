import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ServiceName } from '@tracker/config';
import { aLot, anAllocation, aPledge, aShipment, rawSocket } from '@tracker/testing';
import type WebSocket from 'ws';
import type { RecoveryResult } from './results';

/** Issue "Fast on two cores", item 5: every write and the live updates back within 10 s. */
export const RECOVERY_TARGET_MS = 10_000;
/** Past this a service counts as not back, and the bench moves on to the next one. */
const GIVE_UP_MS = 90_000;
const RETRY_MS = 100;
/** A socket whose subscription is not acknowledged by then is given up and another opened. */
const SUBSCRIBE_TIMEOUT_MS = 5000;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** `work`'s socket, or a rejection after `ms` (closing the socket should it connect later). */
async function within(work: Promise<WebSocket>, ms: number): Promise<WebSocket> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, fail) => {
    timer = setTimeout(() => {
      void work.then(
        (socket) => socket.close(),
        () => undefined,
      );
      fail(new Error('no subscription acknowledged in time'));
    }, ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

export interface RecoveryStack {
  readonly gateway: string;
  readonly token: string;
  /** Each service's `/health/ready`. */
  readonly readyUrl: (service: ServiceName) => string;
  /** SIGKILLs the service's process now running; the launcher's supervisor restarts it. */
  readonly kill: (service: ServiceName) => void;
}

/** Updates of one `/live` socket on the channels of one measurement, counted as they arrive. */
class Updates {
  private count = 0;

  private constructor(private readonly socket: WebSocket) {}

  /** Connects (retrying while the gateway does not answer) and subscribes to `channels`. */
  static async open(stack: RecoveryStack, channels: string[], deadline: number): Promise<Updates> {
    for (;;) {
      let updates: Updates | undefined;
      try {
        const socket = await within(
          rawSocket(stack.gateway, stack.token, channels, () => {
            if (updates) updates.count += 1;
          }),
          SUBSCRIBE_TIMEOUT_MS,
        );
        updates = new Updates(socket);
        return updates;
      } catch (error) {
        if (performance.now() > deadline) throw error;
        await sleep(RETRY_MS);
      }
    }
  }

  get seen(): number {
    return this.count;
  }

  /** Resolves once more than `after` updates arrived. */
  async beyond(after: number, deadline: number): Promise<void> {
    while (this.count <= after) {
      if (performance.now() > deadline) throw new Error('no /live update in time');
      await sleep(5);
    }
  }

  close(): void {
    this.socket.close();
  }
}

/**
 * POSTs through the gateway until it answers 2xx (502 while the service is down, 409 while its
 * view lacks the pledge), under one idempotency key, so a retry of a write that did go through
 * is answered as it was.
 */
async function write(
  stack: RecoveryStack,
  path: string,
  body: object,
  deadline: number,
): Promise<void> {
  const idempotencyKey = randomUUID();
  for (;;) {
    const answer = await fetch(`${stack.gateway}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${stack.token}`,
        'content-type': 'application/json',
        'idempotency-key': idempotencyKey,
      },
      body: JSON.stringify(body),
    }).catch(() => undefined);
    await answer?.text();
    if (answer?.ok) return;
    if (performance.now() > deadline) {
      throw new Error(`POST ${path} still answers ${answer?.status ?? 'nothing'}`);
    }
    await sleep(RETRY_MS);
  }
}

async function readyAgain(stack: RecoveryStack, service: ServiceName, deadline: number) {
  while (performance.now() < deadline) {
    const answer = await fetch(stack.readyUrl(service)).catch(() => undefined);
    await answer?.text();
    if (answer?.ok) return performance.now();
    await sleep(RETRY_MS);
  }
  return NaN;
}

/**
 * What the kill of `service` must be shown to be over by: a write through the gateway that
 * needs the service, its consumers included, then that write's update on the socket.
 * `updates` already saw the pledge's own update, where a later write depends on it.
 */
async function dependentWrite(
  stack: RecoveryStack,
  service: ServiceName,
  run: string,
  deadline: number,
): Promise<void> {
  const itemCode = `R-${run}`.toUpperCase();
  const pledge = aPledge().withItem(itemCode).withQuantity(5000).build();
  const updates = await Updates.open(
    stack,
    [`pledge:${pledge.pledgeId}`, `item:${itemCode}`],
    deadline,
  );
  try {
    await write(stack, '/v1/pledges', pledge, deadline);
    await updates.beyond(0, deadline);
    if (service === 'production-service') {
      // The allocation needs production-service's view of the pledge: its consumer is live.
      const lot = aLot().withItem(itemCode).withQuantity(2400).build();
      await write(stack, '/v1/lots', lot, deadline);
      const seen = updates.seen;
      const allocation = anAllocation().fromLot(lot).forPledge(pledge).withQuantity(2400).build();
      await write(stack, '/v1/allocations', allocation, deadline);
      await updates.beyond(seen, deadline);
    } else if (service === 'shipment-service') {
      // The dispatch needs shipment-service's view of the pledge.
      const seen = updates.seen;
      const shipment = aShipment().forPledge(pledge).withQuantity(1000).build();
      await write(stack, '/v1/shipments', shipment, deadline);
      await updates.beyond(seen, deadline);
    }
  } finally {
    updates.close();
  }
}

/**
 * SIGKILLs each service in turn and times, from the kill, until a write through the gateway that
 * depends on it succeeded and its `/live` update arrived (for the projection: the update of a
 * pledge written after the kill), and until its `/health/ready` answers 200 again.
 */
export async function measureRecovery(
  stack: RecoveryStack,
  services: readonly ServiceName[],
  say: (line: string) => void,
): Promise<RecoveryResult> {
  const result: RecoveryResult[number][] = [];
  for (const service of services) {
    // The dependent writes work before the kill: the figure is the kill's alone.
    await dependentWrite(stack, service, `${service}-before`, performance.now() + GIVE_UP_MS);
    const killedAt = performance.now();
    stack.kill(service);
    const deadline = killedAt + GIVE_UP_MS;
    const ready = readyAgain(stack, service, deadline);
    const backMs = await dependentWrite(stack, service, `${service}-after`, deadline).then(
      () => performance.now() - killedAt,
      () => NaN,
    );
    const readyMs = (await ready) - killedAt;
    result.push({ service, backMs, readyMs });
    say(
      `recovery after SIGKILL of ${service}: writes and /live back after ${(backMs / 1000).toFixed(1)} s, ready after ${(readyMs / 1000).toFixed(1)} s (target ≤ ${RECOVERY_TARGET_MS / 1000} s)`,
    );
  }
  return result;
}
