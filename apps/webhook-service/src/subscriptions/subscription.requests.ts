import { CountryCode, EntityId, ItemCode, rule, TOPIC_REGISTRY, TOPICS } from '@tracker/contracts';
import { z } from 'zod';

/** The CloudEvent types a subscription may ask for: pledge, shipment and alert events. */
export const SUBSCRIBABLE_TYPES = [
  ...TOPIC_REGISTRY[TOPICS.pledges].types,
  ...TOPIC_REGISTRY[TOPICS.shipments].types,
  ...TOPIC_REGISTRY[TOPICS.alerts].types,
] as const;

const typeRule = rule(`must be one of ${SUBSCRIBABLE_TYPES.join(', ')}`);
const MAX_FILTER_VALUES = 100;

const filterList = <T extends z.ZodType>(value: T, what: string) =>
  z
    .array(value)
    .min(1, { message: `must list at least one ${what}` })
    .max(MAX_FILTER_VALUES, { message: `must list at most ${MAX_FILTER_VALUES} ${what}s` })
    .optional();

/** Body of POST /v1/subscriptions. */
export const CreateSubscriptionRequest = z
  .object({
    url: z
      .string(rule('must be an https URL'))
      .min(1, { message: 'must be an https URL' })
      .max(2048, { message: 'must be at most 2048 characters' })
      .describe(
        'Where deliveries are POSTed: https, on a public address (unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true).',
      ),
    eventTypes: z
      .array(z.enum(SUBSCRIBABLE_TYPES, typeRule), rule('must be a list of event types'))
      .min(1, { message: 'must list at least one event type' })
      .max(SUBSCRIBABLE_TYPES.length, { message: 'must not repeat an event type' })
      .refine((types) => new Set(types).size === types.length, {
        message: 'must not repeat an event type',
      })
      .describe('CloudEvent types to receive, e.g. tracker.shipment.milestone.v1.'),
    filters: z
      .object({
        pledgeIds: filterList(EntityId, 'pledge id'),
        itemCodes: filterList(ItemCode, 'item code'),
        donors: filterList(CountryCode, 'donor country'),
      })
      .strict()
      .optional()
      .describe(
        'Only events about these pledges, items or donors (each listed criterion must match).',
      ),
  })
  .strict();
export type CreateSubscriptionBody = z.infer<typeof CreateSubscriptionRequest>;

/** Query of GET /v1/subscriptions/:id/deliveries: newest first, paged with `before`. */
export const ListDeliveriesQuery = z
  .object({
    limit: z.coerce
      .number({ message: 'must be an integer from 1 to 500' })
      .int({ message: 'must be an integer from 1 to 500' })
      .min(1, { message: 'must be an integer from 1 to 500' })
      .max(500, { message: 'must be an integer from 1 to 500' })
      .default(100),
    before: z.coerce
      .number({ message: 'must be a delivery seq (a positive integer)' })
      .int({ message: 'must be a delivery seq (a positive integer)' })
      .min(1, { message: 'must be a delivery seq (a positive integer)' })
      .optional(),
  })
  .strict();
export type ListDeliveriesFilter = z.infer<typeof ListDeliveriesQuery>;

/** A subscription id in a path. */
export const SubscriptionId = z.uuid({ message: 'must be a subscription id (a UUID)' });
