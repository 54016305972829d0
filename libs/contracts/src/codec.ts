import { ClockSkewOptions, eventTimeViolations } from './clock-skew';
import { CLOUDEVENTS_CONTENT_TYPE, CONTENT_TYPE_HEADER } from './envelope';
import { Envelope, eventTypeDefinition, TrackerEvent } from './events';
import { headerValues, KafkaHeaders, KafkaMessageLike, SerializedEvent } from './kafka-message';
import { EventOnTopic, TOPIC_REGISTRY, TopicDefinition, topicDefinition } from './topics';
import { checkEvent } from './validate';
import {
  ContractViolation,
  contractViolation,
  ContractViolationError,
  FieldViolation,
  violationsFromIssues,
} from './violation';

/** What `parse` returns: the typed event, or every way the message breaks the contract. */
export type ParseResult<TEvent = TrackerEvent> =
  | { readonly ok: true; readonly event: TEvent }
  | { readonly ok: false; readonly error: ContractViolation };

const utf8 = new TextDecoder('utf-8', { fatal: true });
const EnvelopeWithoutType = Envelope.omit({ type: true });

/**
 * Reads one Kafka message of `topic` as a CloudEvent in structured mode. Unknown envelope
 * (extension) attributes and unknown payload fields are accepted and dropped, as consumers must
 * ignore them; everything else that breaks the contract is reported, every field at once.
 *
 * @param headers when given, `content-type` must be `application/cloudevents+json`.
 * @param key when given (not null), it must equal the event's `partitionkey`.
 * @param clock when given, `time` and the payload's time of occurrence must not lie more than
 *   the allowed skew in the future (see clock-skew.ts): for doors where facts enter.
 */
export function parse<T extends string>(
  topic: T,
  value: Buffer | string | null | undefined,
  headers?: KafkaHeaders,
  key?: Buffer | string | null,
  clock?: ClockSkewOptions,
): ParseResult<EventOnTopic<T>> {
  const knownTopic = topicDefinition(topic);
  const violations = [...checkTopic(topic, knownTopic)];
  if (headers !== undefined) violations.push(...checkContentType(headers));
  if (knownTopic?.types.length === 0) return failure(topic, violations);
  const decoded = decode(value);
  if (!decoded.ok) return failure(topic, [...violations, decoded.violation]);

  const raw = decoded.value;
  const definition = eventTypeDefinition(raw.type);
  const allowed = knownTopic === undefined || knownTopic.types.some((type) => type === raw.type);
  if (definition === undefined || !allowed) {
    const envelope = EnvelopeWithoutType.safeParse(raw);
    violations.push(typeViolation(knownTopic));
    if (!envelope.success) violations.push(...violationsFromIssues(envelope.error.issues));
    return failure(topic, violations, raw.type);
  }

  const checked = checkEvent(definition, raw);
  if (!checked.ok) return failure(topic, [...violations, ...checked.violations], raw.type);
  if (key !== undefined && key !== null && key.toString() !== checked.event.partitionkey) {
    violations.push({ path: 'key', rule: 'must equal the partitionkey attribute' });
  }
  if (clock !== undefined) violations.push(...eventTimeViolations(checked.event, clock));
  if (violations.length > 0) return failure(topic, violations, raw.type);
  return { ok: true, event: checked.event as EventOnTopic<T> };
}

/**
 * `parse` for a consumed kafkajs message: checks its key and headers too, and with `clock` that
 * nothing in it comes from the future (the check of an inbound door).
 */
export function parseMessage<T extends string>(
  topic: T,
  message: KafkaMessageLike,
  clock?: ClockSkewOptions,
): ParseResult<EventOnTopic<T>> {
  return parse(topic, message.value, message.headers ?? {}, message.key, clock);
}

/**
 * The Kafka message for an event: key = `partitionkey`, value = the CloudEvent JSON, header
 * `content-type: application/cloudevents+json`.
 *
 * @throws ContractViolationError when the event breaks the contract (a bug in the caller).
 */
export function serialize(event: TrackerEvent): SerializedEvent {
  const definition = eventTypeDefinition(event.type);
  const checked = definition
    ? checkEvent(definition, event)
    : { ok: false as const, violations: [{ path: 'type', rule: 'must be a known event type' }] };
  if (!checked.ok) {
    throw new ContractViolationError(contractViolation(checked.violations, { type: event.type }));
  }
  return {
    key: checked.event.partitionkey,
    value: Buffer.from(JSON.stringify(checked.event), 'utf8'),
    headers: { [CONTENT_TYPE_HEADER]: CLOUDEVENTS_CONTENT_TYPE },
  };
}

function failure(
  topic: string,
  violations: FieldViolation[],
  type?: unknown,
): { ok: false; error: ContractViolation } {
  const context = typeof type === 'string' ? { topic, type: type.slice(0, 128) } : { topic };
  return { ok: false, error: contractViolation(violations, context) };
}

function checkTopic(topic: string, known: TopicDefinition | undefined): FieldViolation[] {
  if (known === undefined) {
    return [{ path: 'topic', rule: `must be one of ${Object.keys(TOPIC_REGISTRY).join(', ')}` }];
  }
  if (known.types.length === 0) {
    return [
      {
        path: 'topic',
        rule: `carries raw rejected messages, not events: read ${topic} with readDeadLetterHeaders`,
      },
    ];
  }
  return [];
}

function typeViolation(known: TopicDefinition | undefined): FieldViolation {
  if (known === undefined) return { path: 'type', rule: 'must be a known tracker event type' };
  return {
    path: 'type',
    rule: `must be one of the types of ${known.name}: ${known.types.join(', ')}`,
  };
}

function checkContentType(headers: KafkaHeaders): FieldViolation[] {
  const values = headerValues(headers, CONTENT_TYPE_HEADER);
  const mediaType = values.length === 1 ? values[0].split(';')[0].trim().toLowerCase() : undefined;
  if (mediaType === CLOUDEVENTS_CONTENT_TYPE) return [];
  return [
    {
      path: `headers.${CONTENT_TYPE_HEADER}`,
      rule: `must be a single ${CLOUDEVENTS_CONTENT_TYPE} header`,
    },
  ];
}

type Decoded =
  { ok: true; value: Record<string, unknown> } | { ok: false; violation: FieldViolation };

function decode(value: Buffer | string | null | undefined): Decoded {
  const fail = (rule: string): Decoded => ({ ok: false, violation: { path: 'value', rule } });
  if (value === null || value === undefined) return fail('must be a CloudEvent, not empty');
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof value === 'string' ? value : utf8.decode(value));
  } catch {
    return fail('must be UTF-8 encoded JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return fail('must be a JSON object (a CloudEvent in structured mode)');
  }
  return { ok: true, value: parsed as Record<string, unknown> };
}
