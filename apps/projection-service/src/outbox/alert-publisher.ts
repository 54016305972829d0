import { serialize, TrackerEvent } from '@tracker/contracts';
import type { EventProducer } from '@tracker/kafka';
import type { ReadModelWriter } from '@tracker/read-model';

const CHUNK = 100;

/**
 * Publishes the alert events the atomic steps left in the Redis outbox to the alerts topic, in
 * order, at least once: an event leaves the outbox only after Kafka acknowledged it. Alert
 * events have ids derived from the alert, so a re-send after a crash is a duplicate by id.
 */
export class AlertPublisher {
  constructor(
    private readonly writer: ReadModelWriter,
    private readonly producer: EventProducer,
    private readonly topic: string,
  ) {}

  /** Sends everything waiting; resolves with how many events were sent. */
  async drain(): Promise<number> {
    let sent = 0;
    for (;;) {
      const waiting = await this.writer.peekOutbox(CHUNK);
      if (waiting.length === 0) return sent;
      const messages = waiting.map((json) => serialize(JSON.parse(json) as TrackerEvent));
      await this.producer.send([{ topic: this.topic, messages }]);
      await this.writer.ackOutbox(waiting);
      sent += waiting.length;
    }
  }
}
