import { TOPICS, TopicName } from '@tracker/contracts';
import { physicalTopic } from '@tracker/kafka';

/** The topics the projection reads and writes, by role; names are injectable (tests, tenants). */
export interface ProjectionTopics {
  readonly pledges: string;
  readonly production: string;
  readonly shipments: string;
  readonly stockpiles: string;
  readonly alerts: string;
  readonly deadLetter: string;
}

/** The DESIGN §3 topic names, each behind `prefix` (empty in service). */
export function projectionTopics(topicPrefix = ''): ProjectionTopics {
  const named = (name: string) => physicalTopic({ topicPrefix }, name);
  return {
    pledges: named(TOPICS.pledges),
    production: named(TOPICS.production),
    shipments: named(TOPICS.shipments),
    stockpiles: named(TOPICS.stockpiles),
    alerts: named(TOPICS.alerts),
    deadLetter: named(TOPICS.deadLetter),
  };
}

export function inputTopics(topics: ProjectionTopics): string[] {
  return [topics.pledges, topics.production, topics.shipments, topics.stockpiles];
}

/** The contract topic a consumed topic carries, for `parseMessage`. */
export function canonicalTopic(topics: ProjectionTopics, topic: string): TopicName {
  if (topic === topics.pledges) return TOPICS.pledges;
  if (topic === topics.production) return TOPICS.production;
  if (topic === topics.shipments) return TOPICS.shipments;
  if (topic === topics.stockpiles) return TOPICS.stockpiles;
  throw new RangeError(`the projection does not consume ${topic}`);
}
