import type { Consumer, EachMessagePayload, Producer } from 'kafkajs';
import { uniqueName, waitFor } from '@tracker/testing';
import { useTestBroker } from '../src/testing/use-test-broker';

const PARTITIONS = 6;
const MESSAGES = 3000;
const BATCH = 50;
/** The producer stays at most this far ahead of processing, so churn happens mid-stream. */
const IN_FLIGHT = 400;

interface Processed {
  kind: 'processed';
  member: string;
  partition: number;
  offset: number;
  value: string;
}

interface Committed {
  kind: 'committed';
  member: string;
  partition: number;
  /** The committed offset: the next one to read. */
  offset: number;
}

/** Everything the group did, in the order it happened (a commit is logged once acknowledged). */
class GroupJournal {
  readonly events: (Processed | Committed)[] = [];
  private readonly values = new Set<string>();

  record(event: Processed | Committed): void {
    this.events.push(event);
    if (event.kind === 'processed') this.values.add(event.value);
  }

  /** How many distinct messages were processed at least once. */
  get distinctProcessed(): number {
    return this.values.size;
  }

  processedBy(member: string): Processed[] {
    return this.events.filter((e): e is Processed => e.kind === 'processed' && e.member === member);
  }

  /** Messages processed at an offset below one already committed for their partition. */
  reprocessedAfterCommit(): string[] {
    const committed = new Map<number, Committed>();
    const violations: string[] = [];
    for (const event of this.events) {
      const last = committed.get(event.partition);
      if (event.kind === 'committed') {
        if (!last || event.offset > last.offset) committed.set(event.partition, event);
      } else if (last && event.offset < last.offset) {
        violations.push(
          `${event.member} processed ${event.partition}@${event.offset} after ${last.member} committed ${last.offset}`,
        );
      }
    }
    return violations;
  }
}

describe('a consumer group whose members change mid-stream', () => {
  const suite = useTestBroker();

  it('processes every message and never re-processes a committed offset', async () => {
    const topic = uniqueName('churn');
    const groupId = uniqueName('churn-group');
    const journal = new GroupJournal();
    const admin = suite.kit.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }] });

    const startMember = async (member: string): Promise<Consumer> => {
      const consumer = suite.kit.consumer({ groupId });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: (payload) => processAndCommit(consumer, member, payload, journal),
      });
      return consumer;
    };

    const members = await Promise.all(['a', 'b', 'c'].map(startMember));
    const producer = suite.kit.producer();
    await producer.connect();
    const production = produceFlowControlled(producer, topic, journal);

    await waitFor(
      'a third of the stream processed',
      () => journal.distinctProcessed >= MESSAGES / 3,
    );
    await suite.kit.disconnect(members[1]);
    const leftAt = journal.events.length;

    await waitFor('half of the stream processed', () => journal.distinctProcessed >= MESSAGES / 2);
    await startMember('d');
    await production;
    await waitFor('every message processed', () => journal.distinctProcessed === MESSAGES, {
      timeoutMs: 30_000,
    });

    expect(journal.reprocessedAfterCommit()).toEqual([]);
    expect(journal.processedBy('d').length).toBeGreaterThan(0);
    expect(journal.events.slice(leftAt).filter((e) => e.member === 'b')).toEqual([]);
  });
});

async function processAndCommit(
  consumer: Consumer,
  member: string,
  { topic, partition, message }: EachMessagePayload,
  journal: GroupJournal,
): Promise<void> {
  const offset = Number(message.offset);
  journal.record({
    kind: 'processed',
    member,
    partition,
    offset,
    value: message.value!.toString(),
  });
  try {
    await consumer.commitOffsets([{ topic, partition, offset: `${offset + 1}` }]);
  } catch {
    // A commit refused during a rebalance leaves the message uncommitted: it may be
    // processed again (at-least-once), which the journal allows.
    return;
  }
  journal.record({ kind: 'committed', member, partition, offset: offset + 1 });
}

/** Sends MESSAGES keyed messages in batches, never more than IN_FLIGHT ahead of processing. */
async function produceFlowControlled(
  producer: Producer,
  topic: string,
  journal: GroupJournal,
): Promise<void> {
  for (let sent = 0; sent < MESSAGES; sent += BATCH) {
    await waitFor(
      'processing to catch up with the producer',
      () => journal.distinctProcessed >= sent - IN_FLIGHT,
      { timeoutMs: 30_000 },
    );
    await producer.send({
      topic,
      messages: Array.from({ length: BATCH }, (_, i) => ({
        key: `key-${(sent + i) % 60}`,
        value: `${sent + i}`,
      })),
    });
  }
}
