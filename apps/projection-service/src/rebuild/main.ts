import 'reflect-metadata';
import { ConfigError, loadConfig } from '@tracker/config';
import { DeadLetterPublisher, EventProducer, createKafkaClient } from '@tracker/kafka';
import { createRedisClient } from '@tracker/redis';
import pino from 'pino';
import { projectionTopics } from '../consumer/projection-topics';
import { Rebuilder } from './rebuilder';

/**
 * `npm run projection:rebuild [-- --keep-previous]`: rebuilds the read model from Kafka into a
 * new epoch and switches readers to it (see Rebuilder). Uses the projection's configuration.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig('projection-service');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`projection:rebuild: invalid configuration: ${error.message}\n`);
    process.exit(2);
  }
  const logger = pino({ level: config.logLevel, name: 'projection-rebuild' });
  const kafka = createKafkaClient(config.kafka, logger);
  const redis = createRedisClient(config.redisUrl, 'projection-rebuild', config.redisKeyPrefix);
  const producer = new EventProducer(kafka);
  try {
    const result = await new Rebuilder(
      { kafka, redis, deadLetters: new DeadLetterPublisher(producer), logger },
      {
        groupId: config.projection.groupId,
        topics: projectionTopics(config.kafka.topicPrefix),
        namespace: config.readModel.namespace,
        keepPrevious: process.argv.includes('--keep-previous'),
        sessionTimeoutMs: config.projection.sessionTimeoutMs,
      },
    ).run();
    const from = result.previous === undefined ? 'no previous epoch' : `epoch ${result.previous}`;
    process.stdout.write(
      `rebuilt read model '${config.readModel.namespace}' from ${result.partitions} partitions in ${result.seconds.toFixed(1)} s: readers switched from ${from} to epoch ${result.epoch}\n`,
    );
  } finally {
    await producer.onApplicationShutdown();
    await redis.quit();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `projection:rebuild failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
