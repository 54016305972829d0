import { AsyncAPIDocumentInterface, Diagnostic, Parser } from '@asyncapi/parser';
import { EVENT_TYPES, TOPIC_REGISTRY } from '@tracker/contracts';
import { asyncApiDocument } from './asyncapi';

describe(asyncApiDocument.name, () => {
  const document = asyncApiDocument({ kafka: 'kafka-1:9092', gateway: 'https://tracker.example' });
  let parsed: AsyncAPIDocumentInterface;
  let diagnostics: Diagnostic[];

  beforeAll(async () => {
    const result = await new Parser().parse(JSON.stringify(document));
    diagnostics = result.diagnostics;
    parsed = result.document!;
  });

  it('is a valid AsyncAPI 3 document by @asyncapi/parser, without a single warning', () => {
    const found = diagnostics.map(
      (diagnostic) => `${diagnostic.path.join('.')}: ${diagnostic.message}`,
    );
    expect(found).toEqual([]);
    expect(parsed.version()).toBe('3.1.0');
  });

  it('has a channel per Kafka topic carrying exactly the registry’s types', () => {
    for (const topic of Object.values(TOPIC_REGISTRY)) {
      const channel = parsed
        .channels()
        .all()
        .find((candidate) => candidate.address() === topic.name);
      const names = channel
        ?.messages()
        .all()
        .map((message) => message.name());
      expect(names).toEqual(topic.types.length > 0 ? [...topic.types] : ['dead letter']);
    }
  });

  it('describes every event type’s payload from its zod contract', () => {
    const messages = parsed.components().messages().all();
    for (const type of EVENT_TYPES) {
      const message = messages.find((candidate) => candidate.name() === type);
      expect(message?.payload()?.allOf()?.length).toBe(2);
    }
  });

  it('describes the /live namespace: subscribe with its ack, unsubscribe, update, reset', () => {
    const live = parsed
      .channels()
      .all()
      .find((channel) => channel.address() === '/live');
    expect(
      live
        ?.messages()
        .all()
        .map((message) => message.name()),
    ).toEqual(['subscribe', 'subscribe ack', 'unsubscribe', 'unsubscribe ack', 'update', 'reset']);
    expect(parsed.servers().get('gateway')?.protocol()).toBe('wss');
  });
});
