import { deadLetterHeaders, DEAD_LETTER_HEADERS, readDeadLetterHeaders } from './dead-letter';
import { EVENT_TYPES } from './events';
import {
  inboundOrganisation,
  inboundShipmentsTopic,
  TOPIC_REGISTRY,
  TopicDefinition,
  topicDefinition,
  TOPICS,
  topicOf,
} from './topics';

const topics = Object.values(TOPIC_REGISTRY) as TopicDefinition[];

describe('topic registry', () => {
  it('lists every topic of the design with the key it is partitioned by', () => {
    expect(topics.map((topic) => [topic.name, topic.keyRule])).toEqual([
      ['tracker.pledges.v1', '<pledgeId> | <programmeId>'],
      ['tracker.production.v1', '<capacityId> | <lotId>'],
      ['tracker.shipments.v1', '<shipmentId>'],
      ['tracker.stockpiles.v1', '<nation>:<itemCode>'],
      ['tracker.alerts.v1', '<alertId>'],
      ['tracker.inbound.<org>.shipments.v1', '<shipmentId>'],
      ['tracker.deadletter.v1', 'the original message key'],
    ]);
  });

  it('gives every event type one home topic', () => {
    const homes = topics.filter((topic) => topic.name !== TOPICS.inboundShipments);
    for (const type of EVENT_TYPES) {
      expect(
        homes.filter((topic) => topic.types.includes(type)).map((topic) => topic.name),
      ).toEqual([topicOf(type)]);
    }
  });

  it('lets producer systems publish exactly the shipment types on the inbound topic', () => {
    expect(TOPIC_REGISTRY[TOPICS.inboundShipments].types).toEqual(
      TOPIC_REGISTRY[TOPICS.shipments].types,
    );
    expect(TOPIC_REGISTRY[TOPICS.shipments].types).toEqual([
      'tracker.shipment.dispatched.v1',
      'tracker.shipment.milestone.v1',
      'tracker.shipment.delivered.v1',
      'tracker.shipment.lost.v1',
      'tracker.shipment.delivery-corrected.v1',
    ]);
  });

  it("reads each organisation's inbound topic as one of the inbound family", () => {
    expect(inboundShipmentsTopic('nammo')).toBe('tracker.inbound.nammo.shipments.v1');
    expect(inboundOrganisation('tracker.inbound.nammo.shipments.v1')).toBe('nammo');
    expect(topicDefinition('tracker.inbound.nammo.shipments.v1')).toBe(
      TOPIC_REGISTRY[TOPICS.inboundShipments],
    );
  });

  it.each([
    'tracker.inbound.shipments.v1',
    'tracker.inbound.Nammo.shipments.v1',
    'tracker.inbound.a.b.shipments.v1',
    'xtracker.inbound.nammo.shipments.v1',
    'tracker.inbound.nammo.shipments.v1.x',
  ])('names no organisation for %s', (topic) => {
    expect(inboundOrganisation(topic)).toBeUndefined();
    expect(topicDefinition(topic)).toBeUndefined();
  });

  it('carries no event types on the dead-letter topic', () => {
    expect(TOPIC_REGISTRY[TOPICS.deadLetter].types).toEqual([]);
  });
});

describe('dead-letter headers', () => {
  const info = {
    sourceTopic: 'tracker.inbound.nammo.shipments.v1',
    sourcePartition: 3,
    sourceOffset: '9007199254740993',
    reason:
      'contract violation on tracker.inbound.nammo.shipments.v1: data.quantity must be a non-negative integer',
    at: '2026-03-20T07:00:01Z',
  };

  it('name the source topic, partition, offset, reason and time', () => {
    expect(deadLetterHeaders(info)).toEqual({
      'x-deadletter-source-topic': 'tracker.inbound.nammo.shipments.v1',
      'x-deadletter-source-partition': '3',
      'x-deadletter-source-offset': '9007199254740993',
      'x-deadletter-reason': info.reason,
      'x-deadletter-at': '2026-03-20T07:00:01Z',
    });
  });

  it('read back from consumed Buffer headers, next to the original ones', () => {
    const consumed = Object.fromEntries(
      Object.entries({
        ...deadLetterHeaders(info),
        'content-type': 'application/cloudevents+json',
      }).map(([name, value]) => [name, Buffer.from(value)]),
    );
    expect(readDeadLetterHeaders(consumed)).toEqual(info);
    expect(readDeadLetterHeaders({ [DEAD_LETTER_HEADERS.sourceTopic]: 'x' })).toBeUndefined();
  });

  it('keep the reason on one bounded line', () => {
    const headers = deadLetterHeaders({ ...info, reason: `first\nsecond ${'x'.repeat(5000)}` });
    expect(headers[DEAD_LETTER_HEADERS.reason]).toMatch(/^first second x+$/);
    expect(headers[DEAD_LETTER_HEADERS.reason]).toHaveLength(1000);
  });
});
