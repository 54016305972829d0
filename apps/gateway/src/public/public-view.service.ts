import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import { foldPublicView, PublicPledge, PublicView, ReadModelReader } from '@tracker/read-model';
import { z } from 'zod';
import { READ_MODEL } from '../read-model/read-model.module';
import { Clock, PUBLIC_CLOCK } from './public-clock';
import { PublicPledgesAnswer, PublicPledgesFilter, PublicSummaryAnswer } from './public-schemas';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/**
 * The cutoff of the public view at `nowMs`: `delayDays` earlier, down to the whole minute, so
 * that an answer (and its ETag) stays the same for a minute unless the facts change.
 */
export function cutoffOf(nowMs: number, delayDays: number): number {
  return Math.floor((nowMs - delayDays * DAY_MS) / MINUTE_MS) * MINUTE_MS;
}

/** The pledges `filter` selects, a page of them in `pledgeId` order, and where the next begins. */
export function pageOf(
  pledges: readonly PublicPledge[],
  filter: PublicPledgesFilter,
): { items: PublicPledge[]; next?: string } {
  const selected = pledges.filter(
    (pledge) =>
      (filter.after === undefined || pledge.pledgeId > filter.after) &&
      (filter.donor === undefined || pledge.donor === filter.donor) &&
      (filter.itemCode === undefined || pledge.itemCode === filter.itemCode) &&
      (filter.status === undefined || pledge.status === filter.status),
  );
  const items = selected.slice(0, filter.limit);
  return selected.length > items.length
    ? { items, next: items[items.length - 1].pledgeId }
    : { items };
}

/**
 * The public view (README, "Who sees what"): the public ledger recorded up to
 * `PUBLIC_DELAY_DAYS` ago, folded by `foldPublicView`. The fold is kept until the ledger up to
 * the cutoff changes (its count or latest recording time) or the cutoff's date does (which
 * pledges are overdue), and requests arriving meanwhile share one fold.
 */
@Injectable()
export class PublicViewService {
  private folded?: { readonly key: string; readonly view: Promise<PublicView> };

  constructor(
    @Inject(READ_MODEL) private readonly reader: ReadModelReader,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PUBLIC_CLOCK) private readonly clock: Clock,
  ) {}

  async summary(): Promise<z.infer<typeof PublicSummaryAnswer>> {
    const { asOf, delayDays, view } = await this.current();
    return { asOf, delayDays, rows: [...view.rows], totals: view.totals };
  }

  async pledges(filter: PublicPledgesFilter): Promise<z.infer<typeof PublicPledgesAnswer>> {
    const { asOf, delayDays, view } = await this.current();
    return { asOf, delayDays, ...pageOf(view.pledges, filter) };
  }

  private async current(): Promise<{ asOf: string; delayDays: number; view: PublicView }> {
    const { delayDays } = this.config.publicView;
    const untilMs = cutoffOf(this.clock(), delayDays);
    const asOf = new Date(untilMs).toISOString();
    return { asOf, delayDays, view: await this.fold(untilMs, asOf) };
  }

  private async fold(untilMs: number, asOf: string): Promise<PublicView> {
    const mark = await this.reader.publicLedgerMark(untilMs);
    const key = `${mark.count}:${mark.lastMs}:${asOf.slice(0, 10)}`;
    if (this.folded?.key === key) return this.folded.view;
    const view = this.reader.publicFacts(untilMs).then((facts) => foldPublicView(facts, asOf));
    const folded = { key, view };
    this.folded = folded;
    view.catch(() => {
      if (this.folded === folded) this.folded = undefined;
    });
    return view;
  }
}
