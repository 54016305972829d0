import type { PledgeHistoryEntry } from '@tracker/read-model';
import {
  AllocationListing,
  allocationsAsOf,
  changeText,
  endOfDayUtc,
  etaChanges,
  FigureChange,
  milestonesInOrder,
  PledgeRow,
  ShipmentListing,
  shipmentsAsOf,
} from './model';
import { byId, cell, element, numberCell } from './render';

// The story pages (issue 18): a pledge's page and a donor's or an item's page, each a dialog
// over the dashboard, and the "what changed since" list. Text only from the server, as render.ts.

const numbers = new Intl.NumberFormat('en-GB');

/** Times in UTC, as the date control's days are. */
const dateTime = (iso: string) => new Date(iso).toLocaleString('en-GB', { timeZone: 'UTC' });

const figure = (value: number | string | null | undefined): string =>
  typeof value === 'number' ? numbers.format(value) : (value ?? '–');

/** What a section of a page got: its rows, or why it has none to show. */
export type Loaded<T> = { readonly items: readonly T[] } | { readonly problem: string };

/** The figures of a summary or a pledge, those the viewer has; `problem` says why none came. */
export function renderFigures(id: string, value: unknown, problem?: string): void {
  const source = value as { totals?: Record<string, unknown> } | undefined;
  const totals = (source?.totals ?? source ?? {}) as Record<string, unknown>;
  const shown = ['pledged', 'allocated', 'shipped', 'accepted', 'outstanding'].filter(
    (figure) => typeof totals[figure] === 'number',
  );
  const list = byId(id);
  if (shown.length === 0) {
    list.replaceChildren(element('p', problem ?? 'No figures to show.', 'legend'));
    return;
  }
  list.replaceChildren(
    ...shown.map((figure) => {
      const group = document.createElement('div');
      const detail = element('dd', numbers.format(totals[figure] as number));
      detail.dataset.figure = figure;
      group.append(element('dt', figure.charAt(0).toUpperCase() + figure.slice(1)), detail);
      return group;
    }),
  );
}

/** "+12,000 accepted since 2024-03-20" under a page's figures; hidden without a date. */
export function renderSince(
  id: string,
  changes: readonly FigureChange[] | undefined,
  day?: string,
) {
  const line = byId(id);
  line.hidden = changes === undefined || day === undefined;
  line.textContent = changes && day ? changeText(changes, day) : '';
}

/** What a listing says when the page shows a past day: by event time, and what stays today's. */
const asOfNote = (asOfDay: string | undefined, today: string) =>
  asOfDay === undefined ? '' : ` As of ${asOfDay}: what had happened by then; ${today}.`;

/** What a listing of a pledge's page says, with and without rows, and what stays today's. */
interface ListingText {
  readonly shown: string;
  readonly none: string;
  /** When none happened by the day shown: "… by <day>." follows. */
  readonly noneBy: string;
  readonly today: string;
}

/**
 * A listing's rows — those that had happened by the end of `asOfDay` when the page shows a past
 * day — with its note set; no rows, and the problem as the note, when the list did not come.
 */
function listed<T>(
  noteId: string,
  loaded: Loaded<T>,
  asOfDay: string | undefined,
  asOf: (items: readonly T[], end: string) => readonly T[],
  text: ListingText,
): readonly T[] {
  const note = byId(noteId);
  if ('problem' in loaded) {
    note.textContent = loaded.problem;
    return [];
  }
  const items = asOfDay === undefined ? loaded.items : asOf(loaded.items, endOfDayUtc(asOfDay));
  note.textContent =
    (items.length > 0
      ? text.shown
      : asOfDay === undefined
        ? text.none
        : `${text.noneBy} by ${asOfDay}.`) + asOfNote(asOfDay, text.today);
  return items;
}

/** The pledge's allocations, those made by the end of `asOfDay` when the page shows a past day. */
export function renderAllocations(loaded: Loaded<AllocationListing>, asOfDay?: string): void {
  const items = listed('pledge-allocations-note', loaded, asOfDay, allocationsAsOf, {
    shown: 'A lot’s facility and QA status show to its producer only.',
    none: 'No allocations you may see.',
    noneBy: 'No allocations you may see were made',
    today: 'a lot’s QA status is today’s',
  });
  const body = byId('pledge-allocations').querySelector('tbody')!;
  body.replaceChildren(
    ...items.map((allocation) => {
      const row = document.createElement('tr');
      row.dataset.allocation = allocation.allocationId;
      row.append(
        cell(dateTime(allocation.allocatedAt)),
        cell(allocation.producer ?? '–'),
        numberCell(allocation.quantity),
        cell(allocation.lotId),
        cell(allocation.lot?.facility ?? '–'),
        cell(allocation.lot?.qaStatus ?? '–'),
      );
      return row;
    }),
  );
}

function shipmentArticle(shipment: ShipmentListing): HTMLElement {
  const article = document.createElement('article');
  article.dataset.shipment = shipment.shipmentId;
  const received = shipment.delivery
    ? `, ${numbers.format(shipment.delivery.acceptedQuantity)} accepted`
    : '';
  article.append(
    element(
      'h4',
      `Shipment ${shipment.shipmentId}: ${numbers.format(shipment.quantity)} ${shipment.status}` +
        `${received}, sent by ${shipment.dispatchedBy ?? shipment.producer ?? '–'} on ${dateTime(shipment.dispatchedAt)}`,
    ),
  );
  if (shipment.eta) {
    article.append(element('p', `ETA ${dateTime(shipment.eta)}`, 'estimate'));
  }
  const milestones = milestonesInOrder(shipment.milestones);
  const steps = document.createElement('ol');
  steps.className = 'milestones';
  steps.setAttribute('aria-label', 'Milestones');
  steps.append(
    ...milestones.map((milestone) =>
      element(
        'li',
        `${dateTime(milestone.at)} ${milestone.status}${milestone.location ? ` at ${milestone.location}` : ''} (${milestone.recordedBy})`,
      ),
    ),
  );
  if (milestones.length === 0) steps.append(element('li', 'No milestone yet'));
  const changes = etaChanges(shipment);
  const revisions = document.createElement('ul');
  revisions.className = 'eta-changes';
  revisions.setAttribute('aria-label', 'ETA changes');
  revisions.append(
    ...changes.map((change) =>
      element(
        'li',
        `ETA ${change.from ? dateTime(change.from) : 'none'} → ${dateTime(change.to)}, ` +
          `revised ${dateTime(change.at)} by ${change.by}`,
        'estimate',
      ),
    ),
  );
  article.append(steps);
  if (changes.length > 0) article.append(revisions);
  return article;
}

/** The pledge's shipments, as they stood at the end of `asOfDay` when the page shows a past day. */
export function renderShipments(loaded: Loaded<ShipmentListing>, asOfDay?: string): void {
  const items = listed('pledge-shipments-note', loaded, asOfDay, shipmentsAsOf, {
    shown: 'Milestones in the order they happened; every ETA is an estimate.',
    none: 'No shipments you may see.',
    noneBy: 'No shipments you may see were dispatched',
    today: 'a loss shows from its shipment’s dispatch',
  });
  const list = byId('pledge-shipments');
  list.replaceChildren(...items.map(shipmentArticle));
}

/** The history entries of events after the compared day, on the pledge's page. */
export function renderRecent(entries: readonly PledgeHistoryEntry[] | undefined, day?: string) {
  byId('pledge-recent-section').hidden = entries === undefined || day === undefined;
  byId('pledge-recent-heading').textContent = `Happened since ${day ?? ''}`;
  byId('pledge-recent').replaceChildren(
    ...(entries ?? []).map((entry) =>
      element(
        'li',
        `${dateTime(entry.time)}: ${entry.type.replace(/^tracker\./, '').replace(/\.v\d+$/, '')}` +
          ` ${Object.entries(entry.changes)
            .map(
              ([field, change]) => `${field} ${figure(change?.before)} → ${figure(change?.after)}`,
            )
            .join('; ')}`,
      ),
    ),
    ...(entries?.length === 0 ? [element('li', 'Nothing happened since then.')] : []),
  );
}

/** A donor's or an item's pledges; each opens its pledge's page. */
export function renderSubjectPledges(rows: readonly PledgeRow[]): void {
  byId('subject-pledges')
    .querySelector('tbody')!
    .replaceChildren(
      ...rows.map((row) => {
        const line = document.createElement('tr');
        line.dataset.pledge = row.id;
        const id = document.createElement('td');
        const open = element('button', row.id, 'link');
        open.dataset.history = row.id;
        open.setAttribute('aria-label', `Page of pledge ${row.id}`);
        id.append(open);
        line.append(
          id,
          cell(row.donor),
          cell(row.item),
          cell(row.status, `status-${row.status}`),
          numberCell(row.pledged),
          numberCell(row.accepted),
          numberCell(row.outstanding),
          cell(row.targetDate ?? '–'),
        );
        return line;
      }),
    );
}

/** One line of "what changed since": a subject (overview, donor, item) and what moved. */
export interface ChangeLine {
  readonly kind: 'overview' | 'donor' | 'item';
  readonly code: string;
  readonly changes: readonly FigureChange[];
}

/** The "what changed since" panel; a donor's or an item's name opens its page. */
export function renderChanges(lines: readonly ChangeLine[] | undefined, day?: string): void {
  byId('changes-section').hidden = lines === undefined || day === undefined;
  byId('changes-heading').textContent = `What changed since ${day ?? ''}`;
  byId('changes').replaceChildren(
    ...(lines ?? []).map((line) => {
      const item = document.createElement('li');
      item.dataset.change = `${line.kind}:${line.code}`;
      if (line.kind === 'overview') item.append(element('strong', 'Overall'));
      else {
        const open = element('button', `${line.kind} ${line.code}`, 'link');
        open.dataset.page = `${line.kind}:${line.code}`;
        item.append(open);
      }
      item.append(element('span', `: ${changeText(line.changes, day ?? '')}`));
      return item;
    }),
  );
}
