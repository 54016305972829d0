import fc from 'fast-check';
import { parseMessage, serialize } from './codec';
import { anyEvent, eventOf } from './testing/arbitraries';
import { createJsonSchemaValidator } from './testing/json-schema-validator';
import { TOPICS, topicOf } from './topics';

describe('serialize → parse round trip', () => {
  it('returns every valid event unchanged, on its home topic', () => {
    fc.assert(
      fc.property(anyEvent(), (event) => {
        const message = serialize(event);
        expect(parseMessage(topicOf(event.type), message)).toEqual({ ok: true, event });
      }),
      { numRuns: 500 },
    );
  });

  it('returns producer shipment events unchanged on the inbound topic', () => {
    const shipment = fc.oneof(
      eventOf('tracker.shipment.dispatched.v1'),
      eventOf('tracker.shipment.milestone.v1'),
      eventOf('tracker.shipment.delivered.v1'),
      eventOf('tracker.shipment.lost.v1'),
    );
    fc.assert(
      fc.property(shipment, (event) => {
        expect(parseMessage(TOPICS.inboundShipments, serialize(event))).toEqual({
          ok: true,
          event,
        });
      }),
    );
  });

  it('agrees with the exported JSON Schemas on every valid event', () => {
    const validate = createJsonSchemaValidator();
    fc.assert(
      fc.property(anyEvent(), (event) => {
        expect(validate(JSON.parse(serialize(event).value.toString('utf8')))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
