import { HealthIndicatorService } from '@nestjs/terminus';
import type { ConsumerRunner } from './consumer-runner';
import { KafkaConsumers, KafkaConsumersReadiness } from './kafka.module';

function runner(groupId: string, ready: boolean): ConsumerRunner {
  const status = { groupId, state: 'running', joined: ready, retried: 0 };
  return { ready, status } as unknown as ConsumerRunner;
}

function readiness(...runners: ConsumerRunner[]): KafkaConsumersReadiness {
  const consumers = { all: runners } as unknown as KafkaConsumers;
  return new KafkaConsumersReadiness(new HealthIndicatorService(), consumers);
}

describe(KafkaConsumersReadiness.name, () => {
  it('is down, naming every consumer, while one of them has not joined its group', async () => {
    const result = await readiness(runner('views', true), runner('inbound', false)).check();
    expect(result).toEqual({
      kafka: {
        status: 'down',
        consumers: [
          expect.objectContaining({ groupId: 'views', joined: true }),
          expect.objectContaining({ groupId: 'inbound', joined: false }),
        ],
      },
    });
  });

  it('is up once every consumer joined and consumes', async () => {
    const result = await readiness(runner('views', true), runner('inbound', true)).check();
    expect(result).toMatchObject({ kafka: { status: 'up' } });
  });
});
