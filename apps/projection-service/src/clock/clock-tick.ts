import {
  docKey,
  itemKey,
  CAPACITY_FIELD,
  Loaded,
  LoadRequest,
  ReadModelWriter,
  StoredDoc,
} from '@tracker/read-model';
import { AlertPolicy, splitSuspect } from '../alerts/alert-rules';
import type { EpochTarget } from '../apply/batch-applier';
import { ShipmentParties, shipmentParties } from '../derive/parties';
import type { PledgeFacts } from '../facts/pledge.facts';
import type { LotFacts } from '../facts/production.facts';
import type { ShipmentFacts } from '../facts/shipment.facts';
import { asOfMinute } from './clock';
import { planTick, TickInputs } from './tick-plan';

export type TickOutcome = 'applied' | 'current';

const MAX_ATTEMPTS = 20;

/**
 * Advances the model's clock: loads every open pledge and what their forecasts and the alert
 * rules need, plans the tick (pure) and writes it in one atomic step that requires `asOf` to be
 * unchanged — so of several instances ticking in the same minute one does the work, and a batch
 * applied meanwhile makes the tick start over with what it wrote.
 */
export class ClockTick {
  constructor(
    private readonly writer: ReadModelWriter,
    private readonly target: EpochTarget,
    private readonly policy: AlertPolicy,
    private readonly options: { readonly emit: boolean } = { emit: true },
  ) {}

  async run(nowMs: number): Promise<TickOutcome> {
    const asOf = asOfMinute(nowMs);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const epoch = this.target.epoch;
      const open = await this.writer.indexRange(epoch, 'open', '-inf', '+inf');
      const first = await this.writer.load(epoch, {
        docs: open.map(({ member }) => docKey('pledge', member)),
        events: [],
        offsets: [],
        aggregates: [],
      });
      const stored = first.meta.get('asOf') ?? '';
      if (stored >= asOf) return 'current';
      const pledges = [...first.docs.values()].filter((doc) => doc.doc !== null);
      const asOfMs = Date.parse(asOf);
      const [stalled, suspects, openAlerts] = await Promise.all([
        this.writer.indexRange(epoch, 'transit', '-inf', asOfMs - this.policy.stallAfterMs),
        this.writer.indexRange(epoch, 'suspects', '-inf', '+inf'),
        this.writer.openAlerts(epoch),
      ]);
      const second = tickLoad(pledges, stalled, suspects);
      const changes = planTick(
        second.inputs(asOf, await this.writer.load(epoch, second.request), openAlerts),
        this.policy,
      );
      const result = await this.writer.apply(epoch, {
        ...changes,
        emits: this.options.emit ? changes.emits : [],
        live: this.target.live,
        asOf: stored,
        offsets: [],
        tick: asOf,
      });
      if (result.kind === 'ok') return 'applied';
      if (result.kind === 'epoch') {
        if (!this.target.live || result.current === null)
          throw new Error('epoch changed under the clock');
        this.target.epoch = result.current;
      }
    }
    throw new Error(`clock tick at ${asOf} kept conflicting`);
  }
}

/** A shipment's parties from its document and the pledge document loaded through its link. */
function partiesOf(docs: ReadonlyMap<string, StoredDoc>, shipmentId: string): ShipmentParties {
  const decode = <T>(key: string): T | undefined => {
    const doc = docs.get(key)?.doc;
    return doc ? (JSON.parse(doc) as T) : undefined;
  };
  const shipment = decode<ShipmentFacts>(docKey('shipment', shipmentId));
  const pledgeId = shipment?.dispatch?.pledgeId;
  return shipmentParties(
    shipment,
    pledgeId === undefined ? undefined : decode<PledgeFacts>(docKey('pledge', pledgeId)),
  );
}

/** The lots the open pledges' forecasts read and the items whose capacity they need. */
function dependencies(pledges: readonly StoredDoc[]): {
  lotKeys: string[];
  items: string[];
} {
  const lots = new Set<string>();
  const items = new Set<string>();
  for (const doc of pledges) {
    const facts = JSON.parse(doc.doc as string) as PledgeFacts;
    for (const allocation of Object.values(facts.allocations))
      lots.add(docKey('lot', allocation.lotId));
    if (facts.announcement) items.add(facts.announcement.itemCode);
  }
  return { lotKeys: [...lots], items: [...items].sort() };
}

type Ranged = readonly { readonly member: string; readonly score: number }[];

/**
 * A tick's second read and what it makes of it (ClockTick from Redis, time travel from its
 * in-memory model): the lots and items' capacity the open pledges' forecasts need and the
 * stalled and suspect shipments (their pledges come through their links), then the tick's
 * inputs from what was loaded.
 */
export function tickLoad(
  pledges: readonly StoredDoc[],
  stalled: Ranged,
  suspects: Ranged,
): {
  request: LoadRequest;
  inputs: (asOf: string, loaded: Loaded, openAlerts: TickInputs['openAlerts']) => TickInputs;
} {
  const { lotKeys, items } = dependencies(pledges);
  const shipmentIds = [
    ...new Set([
      ...stalled.map(({ member }) => member),
      ...suspects.map(({ member }) => splitSuspect(member)[1]),
    ]),
  ];
  return {
    request: {
      docs: [...lotKeys, ...shipmentIds.map((id) => docKey('shipment', id))],
      events: [],
      offsets: [],
      aggregates: items.map((itemCode) => ({ key: itemKey(itemCode), fields: [CAPACITY_FIELD] })),
    },
    inputs: (asOf, loaded, openAlerts) => {
      const lots = new Map<string, LotFacts>();
      for (const key of lotKeys) {
        const doc = loaded.docs.get(key)?.doc;
        if (doc) lots.set(key.slice('lot:'.length), JSON.parse(doc) as LotFacts);
      }
      return {
        asOf,
        pledges,
        lots,
        capacityPerMonth: new Map(
          items.map((itemCode) => [
            itemCode,
            loaded.aggregates.get(itemKey(itemCode))?.get(CAPACITY_FIELD) ?? 0,
          ]),
        ),
        stalled: stalled.map(({ member, score }) => ({ shipmentId: member, deadlineMs: score })),
        suspects: suspects.map(({ member, score }) => ({ member, sinceMs: score })),
        shipments: new Map(shipmentIds.map((id) => [id, partiesOf(loaded.docs, id)])),
        openAlerts,
      };
    },
  };
}
