import {
  delayLine,
  deliveredShare,
  formatEuros,
  isPledgesBody,
  isSummaryBody,
  PublicPledge,
  PublicPledgesBody,
  PublicSummaryBody,
  sourceLink,
  statusText,
  TotalRow,
  totalsBy,
  utcTime,
} from './public-model';
import { byId, cell, element, numberCell } from './render';

/**
 * The public page (`/public`): the delayed public view, no token. Shows how delayed it is,
 * pledged against delivered per donor and per item, and the pledges as announced; says so
 * plainly when the public routes do not answer.
 */

/** A public route's JSON; rejects with `HTTP <status>` when it does not answer 2xx. */
async function getJson(path: string): Promise<unknown> {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

/** Why a request gave nothing to show, in a few words. */
function failure(result: PromiseSettledResult<unknown>): string {
  if (result.status === 'fulfilled') return 'an answer the page cannot read';
  return result.reason instanceof Error ? result.reason.message : 'no answer';
}

function shareCell(delivered: number, pledged: number): HTMLTableCellElement {
  const share = deliveredShare(delivered, pledged);
  return cell(share === null ? '–' : `${share} %`, 'number');
}

function renderTotalRows(id: string, rows: readonly TotalRow[], line: (row: TotalRow) => Node[]) {
  byId(id)
    .querySelector('tbody')!
    .replaceChildren(
      ...rows.map((row) => {
        const tr = document.createElement('tr');
        tr.dataset.key = row.key;
        tr.append(...line(row));
        return tr;
      }),
    );
}

function renderSummary(summary: PublicSummaryBody): void {
  byId('public-delay').textContent = delayLine(summary.delayDays, summary.asOf);
  if (summary.rows.length === 0) {
    const empty = byId('public-empty');
    empty.textContent = `No public figures yet: nothing was recorded at least ${summary.delayDays} days ago.`;
    empty.hidden = false;
    return;
  }
  const byDonor = totalsBy(summary.rows, 'donor');
  const pledgedValue = byDonor.reduce((sum, row) => sum + row.pledgedValueCents, 0);
  const deliveredValue = byDonor.reduce((sum, row) => sum + row.deliveredValueCents, 0);
  const share = deliveredShare(deliveredValue, pledgedValue);
  byId('public-totals').replaceChildren(
    ...[
      ['Pledged', formatEuros(pledgedValue)],
      ['Delivered', formatEuros(deliveredValue)],
      ['Delivered (% of value)', share === null ? '–' : `${share} %`],
    ].map(([label, value]) => {
      const group = document.createElement('div');
      const detail = element('dd', value);
      detail.dataset.total = label.toLowerCase();
      group.append(element('dt', label), detail);
      return group;
    }),
  );
  renderTotalRows('by-donor', byDonor, (row) => [
    cell(row.key),
    cell(formatEuros(row.pledgedValueCents), 'number'),
    cell(formatEuros(row.deliveredValueCents), 'number'),
    shareCell(row.deliveredValueCents, row.pledgedValueCents),
  ]);
  renderTotalRows('by-item', totalsBy(summary.rows, 'itemCode'), (row) => [
    cell(row.key),
    numberCell(row.pledged),
    numberCell(row.delivered),
    shareCell(row.delivered, row.pledged),
  ]);
  byId('public-summary').hidden = false;
}

function sourceCell(pledge: PublicPledge): HTMLTableCellElement {
  const href = sourceLink(pledge.sourceUrl);
  if (href === undefined) return cell('–');
  const link = element('a', 'source') as HTMLAnchorElement;
  link.href = href;
  link.rel = 'noopener noreferrer';
  const node = cell('');
  node.append(link);
  return node;
}

function renderPublicPledges(body: PublicPledgesBody): void {
  byId('public-pledges')
    .querySelector('tbody')!
    .replaceChildren(
      ...body.items.map((pledge) => {
        const line = document.createElement('tr');
        line.dataset.pledge = pledge.pledgeId;
        line.append(
          cell(pledge.pledgeId),
          cell(pledge.donor),
          cell(pledge.recipient),
          cell(pledge.itemCode),
          numberCell(pledge.quantity),
          numberCell(pledge.delivered),
          cell(statusText(pledge), `status-${pledge.status}`),
          cell(utcTime(pledge.announcedAt)),
          cell(pledge.targetDate ?? '–'),
          cell(pledge.purpose),
          cell(pledge.confidence),
          sourceCell(pledge),
        );
        return line;
      }),
    );
  const note = byId('public-pledges-note');
  if (body.items.length === 0) note.textContent = 'No public pledges yet.';
  else if (body.next !== undefined) {
    note.textContent = `The first ${body.items.length} pledges; more are recorded.`;
  }
  note.hidden = body.items.length > 0 && body.next === undefined;
  byId('public-pledges').hidden = body.items.length === 0;
  byId('public-pledges-section').hidden = false;
}

async function show(): Promise<void> {
  const [summary, pledges] = await Promise.allSettled([
    getJson('/public/v1/summary'),
    getJson('/public/v1/pledges'),
  ]);
  const delay = byId('public-delay');
  if (summary.status === 'fulfilled' && isSummaryBody(summary.value)) {
    renderSummary(summary.value);
  } else {
    delay.dataset.state = 'unavailable';
    delay.textContent = `The public figures are not available yet (${failure(summary)}).`;
  }
  if (pledges.status === 'fulfilled' && isPledgesBody(pledges.value)) {
    renderPublicPledges(pledges.value);
  }
}

void show();
