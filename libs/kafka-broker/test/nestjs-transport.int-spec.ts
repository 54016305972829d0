import { Controller, Logger, Module, type INestMicroservice, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ClientKafka,
  EventPattern,
  MessagePattern,
  Payload,
  Transport,
  type KafkaOptions,
} from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { uniqueName, waitFor } from '@tracker/testing';
import { FAST_CONSUMER, TEST_RETRY } from '../src/testing/kafka-test-kit';
import { TestBroker } from '../src/testing/test-broker';

interface SumRequest {
  numbers: number[];
}

interface SumReply {
  sum: number;
}

/** Controllers take their topic names from the suite, so they are built per run. */
function buildModule(eventTopic: string, requestTopic: string, received: unknown[]): Type {
  @Controller()
  class ConformanceController {
    @EventPattern(eventTopic)
    recordEvent(@Payload() payload: unknown): void {
      received.push(payload);
    }

    @MessagePattern(requestTopic)
    sum(@Payload() request: SumRequest): SumReply {
      return { sum: request.numbers.reduce((total, n) => total + n, 0) };
    }
  }

  @Module({ controllers: [ConformanceController] })
  class ConformanceModule {}
  return ConformanceModule;
}

function kafkaOptions(brokers: string[], groupId: string): NonNullable<KafkaOptions['options']> {
  return {
    client: {
      clientId: uniqueName('nest'),
      brokers,
      retry: TEST_RETRY,
      logCreator: () => () => undefined,
    },
    consumer: { ...FAST_CONSUMER, groupId },
    subscribe: { fromBeginning: true },
  };
}

describe('the NestJS Kafka transport', () => {
  const eventTopic = uniqueName('nest-events');
  const requestTopic = uniqueName('nest-sum');
  const received: unknown[] = [];
  let broker: TestBroker;
  let server: INestMicroservice | undefined;
  let client: ClientKafka | undefined;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    broker = await TestBroker.start();
    const groupId = uniqueName('nest-group');
    server = await NestFactory.createMicroservice<KafkaOptions>(
      buildModule(eventTopic, requestTopic, received),
      { transport: Transport.KAFKA, options: kafkaOptions(broker.brokers, groupId), logger: false },
    );
    await server.listen();
    client = new ClientKafka(kafkaOptions(broker.brokers, groupId));
    client.subscribeToResponseOf(requestTopic);
    await client.connect();
  });

  afterAll(async () => {
    await client?.close();
    await server?.close();
    await broker?.dispose();
  });

  it('hands every emitted event to the @EventPattern handler', async () => {
    const events = Array.from({ length: 200 }, (_, seq) => ({ seq, note: `event ${seq}` }));
    await Promise.all(
      events.map((event) =>
        lastValueFrom(client!.emit(eventTopic, { key: `key-${event.seq % 10}`, value: event })),
      ),
    );

    await waitFor('every event handled', () => received.length >= events.length);
    const bySeq = [...received].sort(
      (a, b) => (a as { seq: number }).seq - (b as { seq: number }).seq,
    );
    expect(bySeq).toEqual(events);
  });

  it('answers send() requests on the reply topic', async () => {
    const answers = await Promise.all(
      [1, 2, 3].map((n) =>
        lastValueFrom(client!.send<SumReply, SumRequest>(requestTopic, { numbers: [n, n, 10] })),
      ),
    );
    expect(answers).toEqual([{ sum: 12 }, { sum: 14 }, { sum: 16 }]);
  });
});
