import { z } from 'zod';
import {
  CalendarDate,
  HttpUrl,
  ItemCode,
  payload,
  PositiveQuantity,
  ProgrammeCode,
  text,
  TEXT_LIMITS,
} from './common';
import { defineEventType } from './envelope';

/**
 * An aid programme is declared, or its declaration amended: a target quantity of one item by a
 * deadline (`EU-1M-SHELLS`: one million rounds of 155 mm by 2024-03-31). Pledges name the
 * programme they count towards (`programme` of pledge.announced). A declaration with the same
 * `programmeId` replaces the earlier one: the latest by event `time` wins (ties by event id).
 */
export const ProgrammeDeclaredV1 = payload({
  programmeId: ProgrammeCode,
  name: text(TEXT_LIMITS.name).describe('Name of the programme, e.g. "EU ammunition plan".'),
  itemCode: ItemCode,
  targetQuantity: PositiveQuantity.describe('Quantity the programme aims to deliver, at least 1.'),
  deadline: CalendarDate.describe('Date by which the target quantity is to be delivered.'),
  sourceUrl: HttpUrl.describe('Public source of the declaration.').optional(),
});
export type ProgrammeDeclaredV1 = z.infer<typeof ProgrammeDeclaredV1>;

/**
 * Published on tracker.pledges.v1, keyed by the programme id: programmes are part of the pledge
 * picture (pledge-service records them), and the topic's readers and ACLs already exist.
 */
export const programmeDeclaredV1 = defineEventType(
  'tracker.programme.declared.v1',
  ProgrammeDeclaredV1,
  {
    subject: ['programmeId'],
    key: ['programmeId'],
    description:
      'An aid programme was declared (target quantity of one item by a deadline), or its declaration replaced.',
  },
);

export type ProgrammeDeclaredV1Event = z.infer<typeof programmeDeclaredV1.event>;

/** Programme event types, carried on tracker.pledges.v1. */
export const programmeEventTypesV1 = [programmeDeclaredV1] as const;
