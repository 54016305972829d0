import type {
  AlertValue,
  DeliveryTotals,
  FeedEntry,
  PledgeHistoryEntry,
  ProgrammeValue,
} from '@tracker/read-model';
import type { ViewScope } from '../src/access/view-scope';
import type {
  CapacityRow,
  Overview,
  PledgeColumn,
  PledgeQuery,
  PledgeRow,
  StockpileRow,
} from './model';

const numbers = new Intl.NumberFormat('en-GB');

/** An element built from text only: values from the server never become markup. */
function element(tag: string, text = '', className = ''): HTMLElement {
  const node = document.createElement(tag);
  node.textContent = text;
  if (className) node.className = className;
  return node;
}

function cell(text: string, className = ''): HTMLTableCellElement {
  return element('td', text, className) as HTMLTableCellElement;
}

function numberCell(value: number | null, className = ''): HTMLTableCellElement {
  return cell(value === null ? '–' : numbers.format(value), `number ${className}`.trim());
}

function byId<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing from index.html`);
  return found as T;
}

/**
 * Says which view the page shows (`GET /v1/me`): everything, or the viewer's own facts and the
 * public rest.
 */
export function renderViewScope(scope: ViewScope): void {
  const banner = byId('view-scope');
  banner.dataset.view = scope.view;
  banner.textContent = scope.description;
  banner.hidden = false;
}

/** The overall figures; a figure the viewer does not get (a public overview's) is left out. */
export function renderTotals(overview: Overview | undefined): void {
  const totals = overview?.totals as Partial<DeliveryTotals> | undefined;
  const all: [string, number | undefined][] = [
    ['Pledged', totals?.pledged],
    ['Allocated', totals?.allocated],
    ['Shipped', totals?.shipped],
    ['Accepted', totals?.accepted],
    ['Outstanding', totals?.outstanding],
    ['Pledges', overview?.pledges],
    ['Overdue', overview?.pledgeCounts.overdue],
  ];
  const entries = overview === undefined ? all : all.filter(([, value]) => value !== undefined);
  byId('totals').replaceChildren(
    ...entries.map(([label, value]) => {
      const group = document.createElement('div');
      const term = element('dt', label);
      const detail = element('dd', value === undefined ? '–' : numbers.format(value));
      detail.dataset.total = label.toLowerCase();
      group.append(term, detail);
      return group;
    }),
  );
}

/** The capacity table; the production column only when the viewer sees production. */
export function renderCapacity(rows: readonly CapacityRow[]): void {
  const table = byId('capacity-table');
  const produced = rows.some((row) => row.producedPerMonth !== null);
  table.querySelector<HTMLElement>('th[data-column="produced"]')!.hidden = !produced;
  table.querySelector('tbody')!.replaceChildren(
    ...rows.map((row) => {
      const line = document.createElement('tr');
      line.append(
        cell(row.item),
        numberCell(row.outstandingDemand),
        ...(produced ? [numberCell(row.producedPerMonth)] : []),
        numberCell(row.capacityPerMonth, 'estimate'),
        numberCell(
          row.monthsToClear === null ? null : Math.round(row.monthsToClear * 10) / 10,
          'estimate',
        ),
      );
      return line;
    }),
  );
}

const PLEDGE_LABELS: Record<PledgeColumn, string> = {
  id: 'Pledge',
  donor: 'Donor',
  item: 'Item',
  status: 'Status',
  pledged: 'Pledged',
  accepted: 'Accepted',
  outstanding: 'Outstanding',
  targetDate: 'Target date',
  forecastDate: 'Forecast completion (est.)',
  daysLate: 'Days late',
};

/**
 * Column headers as buttons (keyboard-sortable), with `aria-sort` on the sorted one; only the
 * `columns` the viewer has.
 */
export function renderPledgeHeader(
  query: PledgeQuery,
  columns: readonly PledgeColumn[],
  sortBy: (column: PledgeColumn) => void,
) {
  const row = byId('pledges').querySelector('thead tr')!;
  row.replaceChildren(
    ...columns.map((key) => {
      const header = document.createElement('th');
      header.scope = 'col';
      if (query.sortBy === key) {
        header.setAttribute('aria-sort', query.descending ? 'descending' : 'ascending');
      }
      const button = element('button', PLEDGE_LABELS[key]) as HTMLButtonElement;
      button.type = 'button';
      button.dataset.column = key;
      button.addEventListener('click', () => sortBy(key));
      if (query.sortBy === key) button.append(element('span', query.descending ? ' ▼' : ' ▲'));
      header.append(button);
      return header;
    }),
  );
}

function pledgeCell(row: PledgeRow, column: PledgeColumn): HTMLTableCellElement {
  switch (column) {
    case 'id': {
      const id = document.createElement('td');
      const open = element('button', row.id, 'link');
      open.dataset.history = row.id;
      open.setAttribute('aria-label', `Page of pledge ${row.id}`);
      id.append(open);
      // A pledge the viewer sees as announced only says so.
      if (row.view === 'public') id.append(element('span', 'public', 'view-tag'));
      return id;
    }
    case 'status':
      return cell(row.status, `status-${row.status}`);
    case 'pledged':
    case 'accepted':
    case 'outstanding':
      return numberCell(row[column]);
    case 'forecastDate':
      return cell(row.forecastDate ?? '–', row.forecastDate ? 'estimate' : '');
    case 'daysLate':
      return numberCell(row.daysLate, row.daysLate !== null && row.daysLate > 0 ? 'late' : '');
    case 'donor':
    case 'item': {
      const subject = document.createElement('td');
      const open = element('button', row[column], 'link');
      open.dataset.page = `${column}:${row[column]}`;
      open.setAttribute('aria-label', `Page of ${column} ${row[column]}`);
      subject.append(open);
      return subject;
    }
    case 'targetDate':
      return cell(row[column] ?? '–');
  }
}

export function renderPledges(rows: readonly PledgeRow[], columns: readonly PledgeColumn[]): void {
  byId('pledges')
    .querySelector('tbody')!
    .replaceChildren(
      ...rows.map((row) => {
        const line = document.createElement('tr');
        line.dataset.pledge = row.id;
        line.append(...columns.map((column) => pledgeCell(row, column)));
        return line;
      }),
    );
}

function timeOf(iso: string): HTMLElement {
  const node = element('time', new Date(iso).toLocaleString('en-GB'));
  node.setAttribute('datetime', iso);
  return node;
}

/** The open alerts; `empty` says why there are none to show (none open, by default). */
export function renderAlerts(alerts: readonly AlertValue[], empty = 'No open alerts'): void {
  const items = alerts.map((alert) => {
    const item = document.createElement('li');
    item.append(
      element('span', alert.severity, `severity severity-${alert.severity}`),
      timeOf(alert.raisedAt),
      element('span', `${alert.kind}: ${alert.message}`),
    );
    return item;
  });
  byId('alerts').replaceChildren(...(items.length > 0 ? items : [element('li', empty)]));
}

/** The latest events; `empty` says why there are none to show (none yet, by default). */
export function renderFeed(events: readonly FeedEntry[], empty = 'No events yet'): void {
  const items = events.map((event) => {
    const item = document.createElement('li');
    item.append(timeOf(event.time), element('span', event.summary));
    return item;
  });
  byId('feed').replaceChildren(...(items.length > 0 ? items : [element('li', empty)]));
}

/**
 * The stockpiles the viewer sees (every nation's, or its own nation's); the panel is hidden
 * when there are none.
 */
export function renderStockpiles(rows: readonly StockpileRow[]): void {
  byId('stockpiles-section').hidden = rows.length === 0;
  byId('stockpiles')
    .querySelector('tbody')!
    .replaceChildren(
      ...rows.map((row) => {
        const line = document.createElement('tr');
        line.append(
          cell(row.nation),
          cell(row.item),
          numberCell(row.quantity),
          numberCell(row.minimum),
          cell(row.belowMinimum ? 'below minimum' : 'ok', row.belowMinimum ? 'below' : ''),
          cell(new Date(row.reportedAt).toLocaleDateString('en-GB')),
        );
        return line;
      }),
    );
}

const STATE_TEXT: Record<string, string> = {
  connecting: 'connecting…',
  live: 'live',
  reconnecting: 'reconnecting…',
  refused: 'refused',
  closed: 'not connected',
};

export function renderConnection(state: string): void {
  const badge = byId('connection');
  badge.dataset.state = state;
  badge.textContent = STATE_TEXT[state] ?? state;
}

/** "newest update 4 s ago": how fresh the picture is, from the receipt of the last update. */
export function renderFreshness(receivedAt: number | undefined, now: number): void {
  const text =
    receivedAt === undefined
      ? 'no update yet'
      : `newest update ${Math.max(0, Math.round((now - receivedAt) / 1000))} s ago`;
  byId('freshness').textContent = text;
}

/** The programmes' table; the row of the drawn programme is marked. */
export function renderProgrammes(
  values: readonly ProgrammeValue[],
  drawn: string | undefined,
  choose: (programmeId: string) => void,
): void {
  byId('programmes-section').hidden = values.length === 0;
  byId('programmes')
    .querySelector('tbody')!
    .replaceChildren(
      ...values.map((value) => {
        const line = document.createElement('tr');
        line.dataset.programme = value.programmeId;
        if (value.programmeId === drawn) line.setAttribute('aria-current', 'true');
        const name = document.createElement('td');
        const button = element('button', value.programmeId, 'link');
        button.title = value.name ?? 'not declared yet';
        button.addEventListener('click', () => choose(value.programmeId));
        name.append(button);
        const reached = value.targetReachedIn
          ? cell(value.targetReachedIn)
          : value.forecast?.targetReachedBy
            ? cell(value.forecast.targetReachedBy, 'estimate')
            : cell('–');
        line.append(
          name,
          cell(value.itemCode ?? '–'),
          numberCell(value.targetQuantity),
          cell(value.deadline ?? '–'),
          numberCell(value.pledged),
          numberCell(value.accepted),
          cell(
            value.deliveredShare === null ? '–' : `${(value.deliveredShare * 100).toFixed(1)} %`,
            'number',
          ),
          numberCell(value.shortfall),
          reached,
        );
        return line;
      }),
    );
}

const shortType = (type: string) => type.replace(/^tracker\./, '').replace(/\.v\d+$/, '');

const figure = (value: number | string | null | undefined): string =>
  typeof value === 'number' ? numbers.format(value) : (value ?? '–');

function changesText(entry: PledgeHistoryEntry): string {
  return Object.entries(entry.changes)
    .map(([field, change]) => `${field} ${figure(change?.before)} → ${figure(change?.after)}`)
    .join('; ');
}

/** The answer of `GET /v1/pledges/:id/history`, as the dialog reads it. */
export interface PledgeHistory {
  readonly view: 'full' | 'public';
  readonly entries: readonly PledgeHistoryEntry[];
}

/** A pledge's history in the detail dialog. */
export function renderPledgeHistory(
  pledgeId: string,
  answer: PledgeHistory | undefined,
  problem?: string,
): void {
  byId('pledge-detail-heading').textContent = `Pledge ${pledgeId}`;
  byId('pledge-detail-view').textContent =
    problem ??
    (answer?.view === 'public'
      ? 'Its public history: announcements, amendments and confirmed receipts.'
      : 'Its whole history.');
  const rows = (answer?.entries ?? []).map((entry) => {
    const line = document.createElement('tr');
    line.dataset.event = entry.eventId;
    line.append(
      numberCell(entry.seq),
      cell(new Date(entry.time).toLocaleString('en-GB')),
      cell(new Date(entry.recordedAt).toLocaleString('en-GB')),
      cell(shortType(entry.type)),
      cell(entry.reportedBy ?? entry.source),
      cell(entry.confidence ?? '–'),
      cell(changesText(entry)),
      cell(entry.reason ?? ''),
    );
    return line;
  });
  byId('pledge-history')
    .querySelector('tbody')!
    .replaceChildren(...rows);
}

export { byId, cell, element, numberCell };
