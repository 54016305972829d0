import { ApiResponseOptions } from '@nestjs/swagger';

/**
 * OpenAPI descriptions of the channel values. The shapes are the TypeScript interfaces of
 * libs/read-model/src/values.ts (which has no zod schema to derive from); the document names the
 * discriminating `kind` and says where estimates live, and points there for the rest. A caller
 * who may not see a value whole gets its public part, marked `view: 'public'` (the `Public*Value`
 * interfaces); the fields listed as required are in both.
 */
const VALUES: Record<string, { description: string; fields: string[] }> = {
  overview: {
    description:
      'OverviewValue: totals (pledged, allocated, shipped, received, accepted, …) and pledge counts by status.',
    fields: ['totals', 'pledges', 'pledgeCounts'],
  },
  donor: {
    description: 'DonorValue: the donor’s totals and its per-item breakdown.',
    fields: ['donor', 'totals', 'pledges', 'pledgeCounts', 'items'],
  },
  item: {
    description:
      'ItemValue: demand and deliveries per donor, declared capacity (an estimate: `capacity.estimate` is true), production, months to clear (estimate), stockpiles vs minimum, daily series.',
    fields: [
      'itemCode',
      'totals',
      'donors',
      'capacity',
      'outstandingDemand',
      'monthsToClear',
      'stockpiles',
      'daily',
    ],
  },
  pledge: {
    description:
      'PledgeValue: quantities, status, target date, days late, and the forecast completion (an estimate: `forecast.estimate` is true).',
    fields: ['pledgeId', 'donor', 'itemCode', 'status', 'pledged', 'accepted', 'outstanding'],
  },
  programme: {
    description:
      'ProgrammeValue (public, the same for every caller): the declared target, item and deadline (null until declared), pledged and delivered (accepted) by the pledges naming the programme, unpledged and shortfall against the target, the month the target was reached, a monthly series with running sums, and the forecast date the target is reached at the recent delivery rate (an estimate: `forecast.estimate` is true).',
    fields: [
      'programmeId',
      'targetQuantity',
      'deadline',
      'pledged',
      'accepted',
      'outstanding',
      'shortfall',
      'monthly',
      'forecast',
    ],
  },
  alerts: {
    description: 'AlertsValue: every open alert, oldest first.',
    fields: ['open'],
  },
};

export function channelValueSchema(kind: keyof typeof VALUES): ApiResponseOptions {
  const { description, fields } = VALUES[kind];
  return {
    description,
    schema: {
      type: 'object',
      required: ['kind', ...fields],
      properties: {
        kind: { type: 'string', enum: [kind] },
        view: {
          type: 'string',
          enum: ['public'],
          description: 'Present when the caller gets the public part of the value only',
        },
        ...Object.fromEntries(fields.map((field) => [field, {}])),
      },
    },
  };
}

/** Every refusal is RFC 9457 problem+json (libs/http). */
export const PROBLEM_RESPONSE: ApiResponseOptions = {
  description: 'RFC 9457 problem details',
  content: {
    'application/problem+json': {
      schema: {
        type: 'object',
        required: ['type', 'title', 'status', 'detail', 'code'],
        properties: {
          type: { type: 'string', example: 'urn:tracker:problem:outside-scope' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          code: { type: 'string' },
          instance: { type: 'string' },
        },
      },
    },
  },
};
