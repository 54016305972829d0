import type { PledgeHistoryEntry, PledgeValue } from '@tracker/read-model';
import { CapacityChart, describeHistory, FiguresChart, FlowChart, ProgrammeChart } from './charts';
import { LiveClient } from './live-client';
import {
  channelPath,
  DashboardModel,
  endOfDayUtc,
  entriesSince,
  entriesUntil,
  figureChanges,
  PledgeColumn,
  pledgeChartSeries,
  PledgeQuery,
  ShipmentListing,
  summedHistorySeries,
  withAsOf,
  AllocationListing,
} from './model';
import {
  ChangeLine,
  Loaded,
  renderAllocations,
  renderChanges,
  renderFigures,
  renderRecent,
  renderShipments,
  renderSince,
  renderSubjectPledges,
} from './pages';
import {
  byId,
  renderAlerts,
  renderCapacity,
  renderConnection,
  renderFeed,
  renderFreshness,
  renderPledgeHeader,
  renderPledgeHistory,
  renderPledges,
  renderProgrammes,
  renderStockpiles,
  renderTotals,
  renderViewScope,
} from './render';
import type { ViewScope } from '../src/access/view-scope';
import type { PledgeHistory } from './render';

const TOKEN_KEY = 'tracker.token';
/** Pledges listed from the system of record (forwarded to pledge-service) at start. */
const LISTED_PLEDGES = 100;
/** Most pledge histories a donor's or an item's chart sums. */
const SUMMED_PLEDGES = 50;

/** A read through the gateway: its value, or the status it was refused with (0: no answer). */
type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; status: number };

type Subject = { readonly kind: 'donor' | 'item'; readonly code: string };

/** How long an open page waits after a live update of its own channel before it is read again. */
const PAGE_REFRESH_MS = 1000;

const problemOf = (read: { ok: false; status: number }, what: string) =>
  read.status === 0
    ? `The gateway did not answer for ${what}.`
    : read.status >= 500
      ? `The service that holds the ${what} did not answer (${read.status}).`
      : `No ${what} to show to you (${read.status}).`;

/**
 * One logged-in session of the dashboard: the live client, the channels it follows (growing as
 * items, donors and pledges come to light), and a render at most once per animation frame.
 */
class Dashboard {
  private readonly client: LiveClient;
  private readonly model: DashboardModel;
  private readonly refused = new Set<string>();
  private readonly listedPledges = new Set<string>();
  private readonly listedProgrammes = new Set<string>();
  private query: PledgeQuery = { text: '', status: '', sortBy: 'daysLate', descending: true };
  private columns: PledgeColumn[];
  private readonly flowItems = new FlowChart(
    byId('flow-items'),
    byId('items-heading'),
    'item',
    (code) => void this.openSubject({ kind: 'item', code }),
  );
  private readonly flowDonors = new FlowChart(
    byId('flow-donors'),
    byId('donors-heading'),
    'donor',
    (code) => void this.openSubject({ kind: 'donor', code }),
  );
  private readonly capacity = new CapacityChart(byId('capacity-chart'));
  private readonly programmeChart = new ProgrammeChart(byId('programme-chart'));
  private readonly pledgeChart = new FiguresChart(byId('pledge-history-chart'));
  private readonly subjectChart = new FiguresChart(byId('subject-chart'));
  /**
   * The day the dashboard shows as of (YYYY-MM-DD), live updates paused; undefined: live. Its
   * values are read with `?asOf=` at the end of that day, UTC, into a model of their own.
   */
  private asOfDay: string | undefined;
  private readonly asOfValues = new Map<string, unknown>();
  private readonly asOfModel = new DashboardModel(this.asOfValues);
  /** The channels followed when live updates were paused: those read as of the day. */
  private pausedChannels: string[] = [];
  /** "What changed since" this day: the figures as of its end, once read. */
  private sinceDay: string | undefined;
  private sinceValues: Map<string, unknown> | undefined;
  /** The page open, re-read when the date changes. */
  private openPage: { readonly pledge: string } | { readonly subject: Subject } | undefined;
  /** The programme the chart draws: the one chosen, else the first. */
  private chosenProgramme: string | undefined;
  private renderPending = false;
  private following = false;
  /** A live update touched the open page: it is read again once this fires. */
  private pageRefresh: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly token: string) {
    this.client = new LiveClient({ url: window.location.origin, token });
    this.model = new DashboardModel(this.client.values);
    this.client
      .on('value', (channel) => {
        this.changed();
        this.pageMoved(channel);
      })
      .on('state', (state, detail) => this.connectionChanged(state, detail))
      .on('refused', (error) => {
        if (error.channel) this.refused.add(error.channel);
        void this.follow();
      });
    this.bindControls();
    this.columns = this.model.pledgeColumns();
    this.renderHeader();
    setInterval(() => {
      if (this.asOfDay === undefined) renderFreshness(this.client.newest?.receivedAt, Date.now());
    }, 1000);
    void this.follow();
    void this.listPledges();
    void this.listProgrammes();
    void this.showViewScope();
  }

  /** Which view the token gets (`GET /v1/me`), said in the banner. */
  private async showViewScope(): Promise<void> {
    try {
      const response = await fetch('/v1/me', {
        headers: { Authorization: `Bearer ${this.token}` },
      });
      if (response.ok) renderViewScope((await response.json()) as ViewScope);
    } catch {
      // The banner stays hidden; the live stream says whether the token is refused.
    }
  }

  private renderHeader(): void {
    renderPledgeHeader(this.query, this.columns, (column) => this.sortBy(column));
  }

  private renderPledgeRows(): void {
    renderPledges(this.shown.pledgeRows(this.query), this.columns);
  }

  private connectionChanged(state: string, detail?: string): void {
    renderConnection(this.asOfDay === undefined || state === 'refused' ? state : 'paused');
    if (state === 'refused') {
      this.client.close();
      logOut(`The gateway refused the token${detail ? ` (${detail})` : ''}.`);
    }
  }

  /** Subscribes what the model wants and is not followed yet, one request per batch. */
  private async follow(): Promise<void> {
    if (this.following || this.asOfDay !== undefined) return;
    this.following = true;
    try {
      for (;;) {
        const wanted = this.model
          .wantedChannels(this.listedPledges, this.refused, this.listedProgrammes)
          .filter((channel) => !this.client.subscribed.has(channel));
        if (wanted.length === 0) return;
        const reply = await this.client.subscribe(wanted);
        // Nothing of a refused batch was subscribed: the next pass asks again without the
        // channel the gateway named.
        if (!reply.ok && reply.error.channel) this.refused.add(reply.error.channel);
        else if (!reply.ok) return;
      }
    } finally {
      this.following = false;
    }
  }

  /** Pledge ids from the system of record; the feed adds newer ones as they happen. */
  private async listPledges(): Promise<void> {
    try {
      const response = await fetch(`/v1/pledges?limit=${LISTED_PLEDGES}`, {
        headers: { Authorization: `Bearer ${this.token}` },
      });
      if (!response.ok) return;
      const body = (await response.json()) as { items?: { pledgeId: string }[] };
      for (const item of body.items ?? []) this.listedPledges.add(item.pledgeId);
      void this.follow();
    } catch {
      // Without pledge-service the table still fills from the feed.
    }
  }

  /** Declared programmes (forwarded to pledge-service), drawn before any pledge names one. */
  private async listProgrammes(): Promise<void> {
    try {
      const response = await fetch('/v1/programmes', {
        headers: { Authorization: `Bearer ${this.token}` },
      });
      if (!response.ok) return;
      const body = (await response.json()) as { items?: { programmeId: string }[] };
      for (const item of body.items ?? []) this.listedProgrammes.add(item.programmeId);
      void this.follow();
    } catch {
      // Without pledge-service the programmes come from the pledges that name them.
    }
  }

  private changed(): void {
    if (this.renderPending) return;
    this.renderPending = true;
    requestAnimationFrame(() => {
      this.renderPending = false;
      this.render();
      void this.follow();
    });
  }

  /** The model on screen: the live one, or the one read as of the chosen day. */
  private get shown(): DashboardModel {
    return this.asOfDay === undefined ? this.model : this.asOfModel;
  }

  private get shownValues(): ReadonlyMap<string, unknown> {
    return this.asOfDay === undefined ? this.client.values : this.asOfValues;
  }

  private render(): void {
    const shown = this.shown;
    renderTotals(shown.overview);
    this.flowItems.show(shown.flowByItem());
    this.flowDonors.show(shown.flowByDonor());
    const capacity = shown.capacityVsDemand();
    this.capacity.show(capacity);
    renderCapacity(capacity);
    const columns = shown.pledgeColumns();
    if (columns.join() !== this.columns.join()) {
      this.columns = columns;
      this.renderHeader();
    }
    this.renderPledgeRows();
    this.renderProgrammes();
    // Alerts and events have no read as of a past date: they are the live picture only.
    const liveOnly = this.asOfDay === undefined ? undefined : 'Shown live only, not as of a day';
    renderAlerts(shown.alerts(), liveOnly);
    renderFeed(shown.feed(), liveOnly);
    renderStockpiles(shown.stockpiles());
    renderChanges(this.changeLines(), this.sinceDay);
    if (this.asOfDay === undefined) renderFreshness(this.client.newest?.receivedAt, Date.now());
  }

  /** "What changed since": the overview, then each donor and item with pledges then or now. */
  private changeLines(): ChangeLine[] | undefined {
    const since = this.sinceValues;
    if (this.sinceDay === undefined || since === undefined) return undefined;
    const now = this.shownValues;
    const line = (kind: ChangeLine['kind'], code: string, channel: string): ChangeLine => ({
      kind,
      code,
      changes: figureChanges(since.get(channel), now.get(channel)),
    });
    const counted = (channel: string) =>
      [since.get(channel), now.get(channel)].some(
        (value) => ((value as { pledges?: number } | undefined)?.pledges ?? 0) > 0,
      );
    return [
      line('overview', '', 'overview'),
      ...this.shown
        .donors()
        .filter((donor) => counted(`donor:${donor}`))
        .map((donor) => line('donor', donor, `donor:${donor}`)),
      ...this.shown
        .items()
        .filter((item) => counted(`item:${item}`))
        .map((item) => line('item', item, `item:${item}`)),
    ];
  }

  /** A GET through the gateway with the session's token; never throws. */
  private async read<T>(path: string): Promise<Read<T>> {
    try {
      const response = await fetch(path, { headers: { Authorization: `Bearer ${this.token}` } });
      if (!response.ok) return { ok: false, status: response.status };
      return { ok: true, value: (await response.json()) as T };
    } catch {
      return { ok: false, status: 0 };
    }
  }

  /** The channels that have a read as of a date, among those shown. */
  private readableChannels(): string[] {
    const channels = this.asOfDay === undefined ? [...this.client.subscribed] : this.pausedChannels;
    return channels.filter((channel) => channelPath(channel) !== undefined);
  }

  /** Each channel's value as of the end of `day`; a channel refused or absent then is left out. */
  private async readAsOf(channels: readonly string[], day: string): Promise<Map<string, unknown>> {
    const reads = await Promise.all(
      channels.map((channel) => this.read(withAsOf(channelPath(channel)!, day))),
    );
    const values = new Map<string, unknown>();
    reads.forEach((read, index) => {
      if (read.ok) values.set(channels[index], read.value);
    });
    return values;
  }

  /**
   * Shows the dashboard as of the end of `day`: live updates paused (every channel unsubscribed,
   * so nothing moves under the reader), every shown figure read again with `?asOf=`.
   */
  private async showAsOf(day: string): Promise<void> {
    // Throws on what is not a day before anything is paused.
    endOfDayUtc(day);
    if (this.asOfDay === undefined) this.pausedChannels = this.readableChannels();
    this.asOfDay = day;
    const banner = byId('as-of-banner');
    banner.textContent = `as of ${day} — live updates paused`;
    banner.hidden = false;
    byId('live-button').setAttribute('aria-pressed', 'false');
    renderConnection('paused');
    byId('freshness').textContent = `figures as of the end of ${day}, UTC`;
    await this.client.unsubscribe([...this.client.subscribed]);
    const values = await this.readAsOf(this.pausedChannels, day);
    if (this.asOfDay !== day) return;
    this.asOfValues.clear();
    for (const [channel, value] of values) this.asOfValues.set(channel, value);
    this.changed();
    this.reopenPage();
  }

  /** Back to live: the channels followed again, each with a fresh snapshot. */
  private goLive(): void {
    if (this.asOfDay === undefined) return;
    this.asOfDay = undefined;
    this.asOfValues.clear();
    this.pausedChannels = [];
    byId<HTMLInputElement>('as-of').value = '';
    byId('as-of-banner').hidden = true;
    byId('live-button').setAttribute('aria-pressed', 'true');
    renderConnection(this.client.state);
    void this.follow();
    this.changed();
    this.reopenPage();
  }

  /** Compares every shown figure with its value as of the end of `day` (undefined: stop). */
  private async compareSince(day: string | undefined): Promise<void> {
    this.sinceDay = day;
    this.sinceValues = undefined;
    this.changed();
    if (day === undefined) {
      this.reopenPage();
      return;
    }
    const values = await this.readAsOf(this.readableChannels(), day);
    if (this.sinceDay !== day) return;
    this.sinceValues = values;
    this.changed();
    this.reopenPage();
  }

  /**
   * A live update of `channel`: when it is the open page's own (its pledge, donor or item) and
   * the page shows now, the page is read again within a second — several updates, one read.
   */
  private pageMoved(channel: string): void {
    const page = this.openPage;
    if (page === undefined || this.asOfDay !== undefined || this.pageRefresh !== undefined) return;
    const own =
      'pledge' in page ? `pledge:${page.pledge}` : `${page.subject.kind}:${page.subject.code}`;
    if (channel !== own) return;
    this.pageRefresh = setTimeout(() => {
      this.pageRefresh = undefined;
      if (this.asOfDay === undefined) this.reopenPage(true);
    }, PAGE_REFRESH_MS);
  }

  private reopenPage(refresh = false): void {
    const page = this.openPage;
    if (page === undefined) return;
    if ('pledge' in page && byId<HTMLDialogElement>('pledge-detail').open) {
      void this.openPledge(page.pledge, refresh);
    } else if ('subject' in page && byId<HTMLDialogElement>('subject-detail').open) {
      void this.openSubject(page.subject, refresh);
    }
  }

  private renderProgrammes(): void {
    const values = this.shown.programmeValues();
    const drawn =
      values.find((value) => value.programmeId === this.chosenProgramme) ?? values.at(0);
    this.programmeChart.show(drawn);
    renderProgrammes(values, drawn?.programmeId, (programmeId) => {
      this.chosenProgramme = programmeId;
      this.renderProgrammes();
    });
  }

  /**
   * A pledge's page: its figures (live or as of the chosen day), its history drawn with its
   * target date and forecast, its allocations and lots, its shipments with their milestones and
   * ETA changes, and what happened since the compared day. Each part shows what the API
   * answers this viewer; a part refused or absent says so, the rest still shows.
   */
  private async openPledge(pledgeId: string, refresh = false): Promise<void> {
    const subject = byId<HTMLDialogElement>('subject-detail');
    if (subject.open) subject.close();
    const dialog = byId<HTMLDialogElement>('pledge-detail');
    this.openPage = { pledge: pledgeId };
    // Nothing of the page shown before stays while this pledge's parts load (a refresh of the
    // same page keeps it until the new parts arrive).
    if (!refresh) {
      renderPledgeHistory(pledgeId, undefined, 'Loading…');
      renderFigures('pledge-figures', undefined, 'Loading…');
      renderSince('pledge-since', undefined);
      renderAllocations({ problem: 'Loading…' });
      renderShipments({ problem: 'Loading…' });
      renderRecent(undefined);
    }
    if (!dialog.open) dialog.showModal();
    const id = encodeURIComponent(pledgeId);
    const live = `/v1/pledges/${id}/live`;
    const [history, value, allocations, shipments, then] = await Promise.all([
      this.read<PledgeHistory>(`/v1/pledges/${id}/history`),
      this.read<Partial<PledgeValue>>(withAsOf(live, this.asOfDay)),
      this.read<{ items: AllocationListing[] }>(`/v1/allocations?pledgeId=${id}`),
      this.read<{ items: ShipmentListing[] }>(`/v1/shipments?pledgeId=${id}`),
      this.sinceDay === undefined ? undefined : this.read(withAsOf(live, this.sinceDay)),
    ]);
    const page = this.openPage;
    if (page === undefined || !('pledge' in page) || page.pledge !== pledgeId) return;
    const now = value.ok ? value.value : undefined;
    renderFigures('pledge-figures', now, value.ok ? undefined : problemOf(value, 'figures'));
    renderSince(
      'pledge-since',
      then === undefined ? undefined : figureChanges(then.ok ? then.value : undefined, now),
      this.sinceDay,
    );
    renderAllocations(loaded(allocations, 'allocations'), this.asOfDay);
    renderShipments(loaded(shipments, 'shipments'), this.asOfDay);
    if (!history.ok) {
      renderPledgeHistory(pledgeId, undefined, problemOf(history, 'history'));
      this.pledgeChart.show(
        pledgeChartSeries([], { targetDate: null, forecastDate: null, today: '' }),
        '',
      );
      renderRecent(undefined);
      return;
    }
    const entries = entriesUntil(history.value.entries, this.asOfDay);
    renderPledgeHistory(pledgeId, { ...history.value, entries });
    const dates = {
      targetDate: now?.targetDate ?? null,
      forecastDate: now?.forecast?.completionDate ?? null,
      today: this.asOfDay ?? new Date().toISOString().slice(0, 10),
    };
    this.pledgeChart.show(
      pledgeChartSeries(entries, dates),
      [
        describeHistory(entries),
        dates.targetDate && `target date ${dates.targetDate}`,
        dates.forecastDate && `forecast completion ${dates.forecastDate} (estimate)`,
      ]
        .filter(Boolean)
        .join('; '),
    );
    renderRecent(
      this.sinceDay === undefined ? undefined : entriesSince(entries, this.sinceDay),
      this.sinceDay,
    );
  }

  /**
   * A donor's or an item's page: its figures (live or as of the chosen day), its pledges, and a
   * chart of its pledges' histories summed (those shown, at most {@link SUMMED_PLEDGES}).
   */
  private async openSubject(subject: Subject, refresh = false): Promise<void> {
    const pledgeDialog = byId<HTMLDialogElement>('pledge-detail');
    if (pledgeDialog.open) pledgeDialog.close();
    const dialog = byId<HTMLDialogElement>('subject-detail');
    this.openPage = { subject };
    const name = subject.kind === 'donor' ? `Donor ${subject.code}` : `Item ${subject.code}`;
    byId('subject-heading').textContent = name;
    if (!refresh) {
      renderFigures('subject-figures', undefined, 'Loading…');
      renderSince('subject-since', undefined);
      byId('subject-chart-note').textContent = '';
    }
    if (!dialog.open) dialog.showModal();
    const path =
      subject.kind === 'donor'
        ? `/v1/donors/${encodeURIComponent(subject.code)}`
        : `/v1/items/${encodeURIComponent(subject.code)}`;
    const rows = this.shown
      .pledgeRows({ text: '', status: '', sortBy: 'id', descending: false })
      .filter((row) => row[subject.kind] === subject.code);
    renderSubjectPledges(rows);
    const summed = rows.slice(0, SUMMED_PLEDGES);
    const [value, then, ...histories] = await Promise.all([
      this.read(withAsOf(path, this.asOfDay)),
      this.sinceDay === undefined ? undefined : this.read(withAsOf(path, this.sinceDay)),
      ...summed.map((row) =>
        this.read<PledgeHistory>(`/v1/pledges/${encodeURIComponent(row.id)}/history`),
      ),
    ]);
    const page = this.openPage;
    if (page === undefined || !('subject' in page)) return;
    if (page.subject.kind !== subject.kind || page.subject.code !== subject.code) return;
    const now = value.ok ? value.value : undefined;
    renderFigures('subject-figures', now, value.ok ? undefined : problemOf(value, 'figures'));
    renderSince(
      'subject-since',
      then === undefined ? undefined : figureChanges(then.ok ? then.value : undefined, now),
      this.sinceDay,
    );
    const entries: PledgeHistoryEntry[][] = histories
      .filter((read): read is { ok: true; value: PledgeHistory } => read.ok)
      .map((read) => entriesUntil(read.value.entries, this.asOfDay));
    const series = summedHistorySeries(entries);
    this.subjectChart.show(
      series,
      `${name}: its pledges' figures over time, summed from ${entries.length} pledge histories`,
    );
    byId('subject-chart-note').textContent =
      `Summed from the histories of ${entries.length} of its ${rows.length} pledges shown ` +
      '(each as you may see it); step lines are recorded facts.';
  }

  private sortBy(column: PledgeColumn): void {
    const descending = this.query.sortBy === column ? !this.query.descending : false;
    this.query = { ...this.query, sortBy: column, descending };
    this.renderHeader();
    byId<HTMLButtonElement>('pledges')
      .querySelector<HTMLButtonElement>(`button[data-column="${column}"]`)
      ?.focus();
    this.renderPledgeRows();
  }

  private bindControls(): void {
    byId<HTMLInputElement>('pledge-filter').addEventListener('input', (event) => {
      this.query = { ...this.query, text: (event.target as HTMLInputElement).value };
      this.renderPledgeRows();
    });
    byId<HTMLSelectElement>('pledge-status').addEventListener('change', (event) => {
      const status = (event.target as HTMLSelectElement).value as PledgeQuery['status'];
      this.query = { ...this.query, status };
      this.renderPledgeRows();
    });
    // Pledge ids open the pledge's page, donor and item names theirs, wherever they are shown.
    document.body.addEventListener('click', (event) => {
      const target = event.target as HTMLElement;
      const pledgeId = target.closest<HTMLElement>('[data-history]')?.dataset.history;
      if (pledgeId) {
        void this.openPledge(pledgeId);
        return;
      }
      const [kind, ...code] =
        target.closest<HTMLElement>('[data-page]')?.dataset.page?.split(':') ?? [];
      if (kind === 'donor' || kind === 'item') {
        void this.openSubject({ kind, code: code.join(':') });
      }
    });
    byId<HTMLInputElement>('as-of').addEventListener('change', (event) => {
      const day = (event.target as HTMLInputElement).value;
      if (day) void this.showAsOf(day);
      else this.goLive();
    });
    byId('live-button').addEventListener('click', () => this.goLive());
    byId<HTMLInputElement>('since').addEventListener('change', (event) => {
      void this.compareSince((event.target as HTMLInputElement).value || undefined);
    });
    byId('logout').addEventListener('click', () => {
      this.client.close();
      logOut('');
    });
  }
}

function logOut(message: string): void {
  sessionStorage.removeItem(TOKEN_KEY);
  byId('main').hidden = true;
  byId('logout').hidden = true;
  byId('view-scope').hidden = true;
  byId('login').hidden = false;
  byId('login-error').textContent = message;
  byId<HTMLInputElement>('token').focus();
}

function start(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
  byId('login').hidden = true;
  byId('main').hidden = false;
  byId('logout').hidden = false;
  new Dashboard(token);
}

byId<HTMLFormElement>('login').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = byId<HTMLInputElement>('token').value.trim();
  if (token) start(token);
});

const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) start(saved);

function loaded<T>(read: Read<{ items: T[] }>, what: string): Loaded<T> {
  return read.ok ? { items: read.value.items } : { problem: problemOf(read, what) };
}
