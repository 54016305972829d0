import { alertEventTypesV1 } from './alert.v1';
import { EventTypeDefinition } from './envelope';
import { EventOf, EventType, TrackerEvent } from './events';
import { pledgeEventTypesV1 } from './pledge.v1';
import { productionEventTypesV1 } from './production.v1';
import { programmeEventTypesV1 } from './programme.v1';
import { shipmentEventTypesV1 } from './shipment.v1';
import { stockpileEventTypesV1 } from './stockpile.v1';

/** Kafka topic names of DESIGN §3. */
export const TOPICS = {
  pledges: 'tracker.pledges.v1',
  production: 'tracker.production.v1',
  shipments: 'tracker.shipments.v1',
  stockpiles: 'tracker.stockpiles.v1',
  alerts: 'tracker.alerts.v1',
  /** The family of per-organisation inbound topics; {@link inboundShipmentsTopic} names one. */
  inboundShipments: 'tracker.inbound.<org>.shipments.v1',
  deadLetter: 'tracker.deadletter.v1',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

/**
 * `tracker.inbound.<org>.shipments.v1`: one inbound topic per producer organisation, so that
 * Kafka's ACLs, not the event's own claim, say which organisation wrote it (DESIGN.md §4a).
 */
export const INBOUND_SHIPMENTS_TOPIC =
  /^tracker\.inbound\.([a-z0-9][a-z0-9-]{0,62})\.shipments\.v1$/;

/** The inbound topic of producer organisation `org`. */
export function inboundShipmentsTopic(org: string): string {
  return `tracker.inbound.${org}.shipments.v1`;
}

/** The organisation whose inbound topic `topic` is, or undefined for any other topic. */
export function inboundOrganisation(topic: string): string | undefined {
  return INBOUND_SHIPMENTS_TOPIC.exec(topic)?.[1];
}

/** What a topic carries and how its messages are keyed. */
export interface TopicDefinition<TType extends EventType = EventType> {
  readonly name: TopicName;
  readonly description: string;
  /** The Kafka key of each message, e.g. `<pledgeId>` or `<nation>:<itemCode>`. */
  readonly keyRule: string;
  /** Event types allowed on the topic; empty for the dead-letter topic (raw bytes). */
  readonly types: readonly TType[];
}

/** `<field>` placeholders joined with `:`, e.g. `<nation>:<itemCode>`. */
export function describeKey(fields: readonly string[]): string {
  return fields.map((field) => `<${field}>`).join(':');
}

function eventTopic<const TDefinitions extends readonly EventTypeDefinition[]>(
  name: TopicName,
  description: string,
  definitions: TDefinitions,
): TopicDefinition<TDefinitions[number]['type'] & EventType> {
  const keyRules = [...new Set(definitions.map((definition) => describeKey(definition.key)))];
  return {
    name,
    description,
    keyRule: keyRules.join(' | '),
    types: definitions.map(
      (definition) => definition.type as TDefinitions[number]['type'] & EventType,
    ),
  };
}

/** Every topic: its key rule and allowed event types. */
export const TOPIC_REGISTRY = {
  [TOPICS.pledges]: eventTopic(
    TOPICS.pledges,
    'Pledges and the aid programmes they count towards, from pledge-service. Programme declarations are keyed by programme id.',
    [...pledgeEventTypesV1, ...programmeEventTypesV1],
  ),
  [TOPICS.production]: eventTopic(
    TOPICS.production,
    'Capacity, lots, QA and allocations, from production-service. Allocations are keyed by lot.',
    productionEventTypesV1,
  ),
  [TOPICS.shipments]: eventTopic(
    TOPICS.shipments,
    'Validated shipment events, from shipment-service.',
    shipmentEventTypesV1,
  ),
  [TOPICS.stockpiles]: eventTopic(
    TOPICS.stockpiles,
    'Stockpile level reports, keyed by nation and item.',
    stockpileEventTypesV1,
  ),
  [TOPICS.alerts]: eventTopic(TOPICS.alerts, 'Alerts, from projection-service.', alertEventTypesV1),
  [TOPICS.inboundShipments]: eventTopic(
    TOPICS.inboundShipments,
    'Raw shipment events from producer system <org>, one topic per organisation; shipment-service validates and re-publishes them.',
    shipmentEventTypesV1,
  ),
  [TOPICS.deadLetter]: {
    name: TOPICS.deadLetter,
    description: 'Rejected messages, original bytes and headers kept, plus x-deadletter-* headers.',
    keyRule: 'the original message key',
    types: [] as readonly never[],
  },
} as const satisfies Record<TopicName, TopicDefinition>;

/** The events a topic may carry; any event for a topic name we do not know. */
export type EventOnTopic<T extends string> = T extends TopicName
  ? EventOf<TypesOnTopic[T]>
  : TrackerEvent;

/** The event types each topic carries, resolved per topic (so `EventOnTopic` narrows). */
type TypesOnTopic = { [K in TopicName]: (typeof TOPIC_REGISTRY)[K]['types'][number] };

/** The definition of a known topic (an organisation's inbound topic is its family's), or undefined. */
export function topicDefinition(topic: string): TopicDefinition | undefined {
  if (Object.hasOwn(TOPIC_REGISTRY, topic)) return TOPIC_REGISTRY[topic as TopicName];
  return inboundOrganisation(topic) === undefined
    ? undefined
    : TOPIC_REGISTRY[TOPICS.inboundShipments];
}

const canonicalTopics = new Map<EventType, TopicName>();
for (const definition of Object.values(TOPIC_REGISTRY) as TopicDefinition[]) {
  for (const type of definition.types) {
    if (!canonicalTopics.has(type)) canonicalTopics.set(type, definition.name);
  }
}

/**
 * The topic a service publishes an event type on. Shipment types also travel on the inbound
 * topics tracker.inbound.<org>.shipments.v1, but their home is tracker.shipments.v1.
 */
export function topicOf(type: EventType): TopicName {
  const topic = canonicalTopics.get(type);
  if (topic === undefined) throw new RangeError(`no topic carries ${type}`);
  return topic;
}
