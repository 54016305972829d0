import type { AlertValue, FeedEntry, OverviewValue } from '@tracker/read-model';
import type { CapacityRow, PledgeColumn, PledgeQuery, PledgeRow, StockpileRow } from './model';

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

export function renderTotals(overview: OverviewValue | undefined): void {
  const totals = overview?.totals;
  const entries: [string, number | undefined][] = [
    ['Pledged', totals?.pledged],
    ['Allocated', totals?.allocated],
    ['Shipped', totals?.shipped],
    ['Accepted', totals?.accepted],
    ['Outstanding', totals?.outstanding],
    ['Pledges', overview?.pledges],
    ['Overdue', overview?.pledgeCounts.overdue],
  ];
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

export function renderCapacity(rows: readonly CapacityRow[]): void {
  byId('capacity-table')
    .querySelector('tbody')!
    .replaceChildren(
      ...rows.map((row) => {
        const line = document.createElement('tr');
        line.append(
          cell(row.item),
          numberCell(row.outstandingDemand),
          numberCell(row.producedPerMonth),
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

const PLEDGE_COLUMNS: { key: PledgeColumn; label: string }[] = [
  { key: 'id', label: 'Pledge' },
  { key: 'donor', label: 'Donor' },
  { key: 'item', label: 'Item' },
  { key: 'status', label: 'Status' },
  { key: 'pledged', label: 'Pledged' },
  { key: 'accepted', label: 'Accepted' },
  { key: 'outstanding', label: 'Outstanding' },
  { key: 'targetDate', label: 'Target date' },
  { key: 'forecastDate', label: 'Forecast completion (est.)' },
  { key: 'daysLate', label: 'Days late' },
];

/** Column headers as buttons (keyboard-sortable), with `aria-sort` on the sorted one. */
export function renderPledgeHeader(query: PledgeQuery, sortBy: (column: PledgeColumn) => void) {
  const row = byId('pledges').querySelector('thead tr')!;
  row.replaceChildren(
    ...PLEDGE_COLUMNS.map(({ key, label }) => {
      const header = document.createElement('th');
      header.scope = 'col';
      if (query.sortBy === key) {
        header.setAttribute('aria-sort', query.descending ? 'descending' : 'ascending');
      }
      const button = element('button', label) as HTMLButtonElement;
      button.type = 'button';
      button.dataset.column = key;
      button.addEventListener('click', () => sortBy(key));
      if (query.sortBy === key) button.append(element('span', query.descending ? ' ▼' : ' ▲'));
      header.append(button);
      return header;
    }),
  );
}

export function renderPledges(rows: readonly PledgeRow[]): void {
  byId('pledges')
    .querySelector('tbody')!
    .replaceChildren(
      ...rows.map((row) => {
        const line = document.createElement('tr');
        line.dataset.pledge = row.id;
        const late = row.daysLate !== null && row.daysLate > 0;
        line.append(
          cell(row.id),
          cell(row.donor),
          cell(row.item),
          cell(row.status, `status-${row.status}`),
          numberCell(row.pledged),
          numberCell(row.accepted),
          numberCell(row.outstanding),
          cell(row.targetDate ?? '–'),
          cell(row.forecastDate ?? '–', row.forecastDate ? 'estimate' : ''),
          numberCell(row.daysLate, late ? 'late' : ''),
        );
        return line;
      }),
    );
}

function timeOf(iso: string): HTMLElement {
  const node = element('time', new Date(iso).toLocaleString('en-GB'));
  node.setAttribute('datetime', iso);
  return node;
}

export function renderAlerts(alerts: readonly AlertValue[]): void {
  const items = alerts.map((alert) => {
    const item = document.createElement('li');
    item.append(
      element('span', alert.severity, `severity severity-${alert.severity}`),
      timeOf(alert.raisedAt),
      element('span', `${alert.kind}: ${alert.message}`),
    );
    return item;
  });
  byId('alerts').replaceChildren(...(items.length > 0 ? items : [element('li', 'No open alerts')]));
}

export function renderFeed(events: readonly FeedEntry[]): void {
  byId('feed').replaceChildren(
    ...events.map((event) => {
      const item = document.createElement('li');
      item.append(timeOf(event.time), element('span', event.summary));
      return item;
    }),
  );
}

export function renderStockpiles(rows: readonly StockpileRow[]): void {
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

export { byId };
