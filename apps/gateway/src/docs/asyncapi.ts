import {
  CLOUDEVENTS_CONTENT_TYPE,
  Envelope,
  EVENT_TYPE_DEFINITIONS,
  TOPIC_REGISTRY,
  TopicDefinition,
} from '@tracker/contracts';
import { CHANNEL_ACCESS } from '@tracker/read-model';
import { z } from 'zod';
import {
  LiveResetSchema,
  LiveUpdateSchema,
  SubscribeReplySchema,
  SubscribeRequestSchema,
  UnsubscribeReplySchema,
  UnsubscribeRequestSchema,
} from '../live/live.schemas';

type Json = Record<string, unknown>;

/** Where the document says the two kinds of servers are. */
export interface AsyncApiServers {
  /** `host:port` of a Kafka broker. */
  readonly kafka: string;
  /** The gateway's public base URL. */
  readonly gateway: string;
}

const ref = (path: string) => ({ $ref: `#/components/${path}` });

/**
 * JSON Schema draft-07 of a zod schema (what AsyncAPI 3 payloads are), its shared definitions
 * (`CountryCode`, `ItemCode`, …) moved to `components.schemas` so every message refers to one.
 */
function schemaOf(schema: z.ZodType, components: Json): Json {
  const generated = JSON.stringify(z.toJSONSchema(schema, { target: 'draft-7', io: 'input' }));
  const {
    $schema: _draft,
    definitions,
    ...rest
  } = JSON.parse(generated.replaceAll('"#/definitions/', '"#/components/schemas/')) as Json;
  Object.assign(components, definitions ?? {});
  return rest;
}

function eventMessage(type: string, description: string, keyRule: string, data: Json): Json {
  return {
    name: type,
    title: type,
    summary: description,
    contentType: CLOUDEVENTS_CONTENT_TYPE,
    payload: {
      allOf: [
        ref('schemas/Envelope'),
        {
          type: 'object',
          properties: { type: { const: type }, data },
          required: ['type', 'data'],
        },
      ],
    },
    bindings: { kafka: { key: { type: 'string', description: keyRule } } },
  };
}

function topicChannel(topic: TopicDefinition): Json {
  const messages = Object.fromEntries(
    topic.types.map((type) => [type, ref(`messages/${type.replaceAll('.', '_')}`)]),
  );
  const deadLetter = topic.types.length === 0;
  return {
    address: topic.name,
    title: topic.name,
    description: `${topic.description} Key: ${topic.keyRule}.`,
    servers: [{ $ref: '#/servers/kafka' }],
    messages: deadLetter ? { DeadLetter: ref('messages/DeadLetter') } : messages,
    bindings: { kafka: { topic: topic.name } },
  };
}

/** The live protocol: client → server events with their acks, server → client events. */
function liveParts(components: Json) {
  const message = (name: string, summary: string, schema: z.ZodType) => ({
    name,
    summary,
    contentType: 'application/json',
    payload: schemaOf(schema, components),
  });
  const messages = {
    subscribe: message(
      'subscribe',
      'Start (or with `since`, resume) channels: overview, donor:<CC>, item:<CODE>, pledge:<id>, programme:<CODE>, alerts, feed.',
      SubscribeRequestSchema,
    ),
    subscribeReply: message(
      'subscribe ack',
      'A snapshot and its cursor; after a resume the missed updates came first; or a reset snapshot; or an error naming the channel.',
      SubscribeReplySchema,
    ),
    unsubscribe: message('unsubscribe', 'Stop channels.', UnsubscribeRequestSchema),
    unsubscribeReply: message(
      'unsubscribe ack',
      'The channels still held.',
      UnsubscribeReplySchema,
    ),
    update: message(
      'update',
      "A channel's new full value, in stream order; under load intermediate values merge.",
      LiveUpdateSchema,
    ),
    reset: message(
      'reset',
      "The stream's history was lost while connected: every channel afresh.",
      LiveResetSchema,
    ),
  };
  const channel = {
    address: '/live',
    title: 'Socket.IO namespace /live',
    description:
      'Socket.IO v4 over WebSocket (or long polling) at /socket.io/, namespace /live. Handshake `auth: { token }` (AUTH_TOKENS); a bad token is refused with connect_error "unauthorized"; an address past AUTH_FAILURES_PER_MINUTE failed authentications with "too-many-failed-authentications" (data.retryAfter: seconds), a token past LIVE_MAX_SOCKETS_PER_TOKEN sockets with "too-many-sockets" (data.limit). Each message is a Socket.IO event of that name; replies are Socket.IO acks.',
    servers: [{ $ref: '#/servers/gateway' }],
    'x-access': CHANNEL_ACCESS,
    messages: Object.fromEntries(
      Object.keys(messages).map((name) => [name, ref(`messages/live_${name}`)]),
    ),
  };
  const live = (name: string) => ({ $ref: `#/channels/live/messages/${name}` });
  const operations = {
    liveSubscribe: {
      action: 'receive',
      channel: { $ref: '#/channels/live' },
      summary: 'A client subscribes',
      messages: [live('subscribe')],
      reply: { channel: { $ref: '#/channels/live' }, messages: [live('subscribeReply')] },
    },
    liveUnsubscribe: {
      action: 'receive',
      channel: { $ref: '#/channels/live' },
      messages: [live('unsubscribe')],
      reply: { channel: { $ref: '#/channels/live' }, messages: [live('unsubscribeReply')] },
    },
    liveUpdate: {
      action: 'send',
      channel: { $ref: '#/channels/live' },
      messages: [live('update'), live('reset')],
    },
  };
  const named = Object.fromEntries(
    Object.entries(messages).map(([name, body]) => [`live_${name}`, body]),
  );
  return { channel, messages: named, operations };
}

/**
 * The AsyncAPI 3 document of the tracker: every Kafka topic of the registry with the CloudEvents
 * of each type (payload schemas from the zod contracts), and the gateway's `/live` namespace.
 */
export function asyncApiDocument(servers: AsyncApiServers): Json {
  const schemas: Json = {};
  schemas.Envelope = schemaOf(Envelope, schemas);
  const messages: Json = {
    DeadLetter: {
      name: 'dead letter',
      summary:
        'The rejected message, original bytes and headers kept, plus x-deadletter-* headers.',
      payload: { description: 'The original bytes' },
    },
  };
  const topics = Object.values(TOPIC_REGISTRY) as TopicDefinition[];
  for (const definition of EVENT_TYPE_DEFINITIONS) {
    const topic = topics.find((candidate) => candidate.types.includes(definition.type))!;
    messages[definition.type.replaceAll('.', '_')] = eventMessage(
      definition.type,
      definition.description,
      topic.keyRule,
      schemaOf(definition.payload, schemas),
    );
  }
  const channels: Json = {};
  const operations: Json = {};
  for (const topic of topics) {
    const id = topic.name.replaceAll('.', '_');
    channels[id] = topicChannel(topic);
    operations[`publish_${id}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${id}` },
      summary: `The tracker publishes on ${topic.name}; integrators consume it.`,
    };
  }
  const live = liveParts(schemas);
  channels.live = live.channel;
  Object.assign(messages, live.messages);
  Object.assign(operations, live.operations);
  const gateway = new URL(servers.gateway);
  return {
    asyncapi: '3.1.0',
    info: {
      title: 'Pledge & delivery tracker events',
      version: '1',
      description:
        'Kafka topics carrying CloudEvents 1.0 (structured mode, key = partitionkey), and the gateway’s live Socket.IO stream (DESIGN.md §3, §5). Every event’s `dataschema` is served by the gateway under /schemas/.',
    },
    defaultContentType: 'application/json',
    servers: {
      kafka: { host: servers.kafka, protocol: 'kafka', description: 'The Kafka cluster' },
      gateway: {
        host: gateway.host,
        protocol: gateway.protocol === 'https:' ? 'wss' : 'ws',
        pathname: '/socket.io/',
        description: 'The gateway (Socket.IO)',
      },
    },
    channels,
    operations,
    components: { schemas, messages },
  };
}
