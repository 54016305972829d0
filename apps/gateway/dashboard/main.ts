import { CapacityChart, FlowChart, PledgeHistoryChart, ProgrammeChart } from './charts';
import { LiveClient } from './live-client';
import { DashboardModel, PledgeColumn, PledgeQuery } from './model';
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
  private readonly flowItems = new FlowChart(byId('flow-items'), byId('items-heading'), 'item');
  private readonly flowDonors = new FlowChart(byId('flow-donors'), byId('donors-heading'), 'donor');
  private readonly capacity = new CapacityChart(byId('capacity-chart'));
  private readonly programmeChart = new ProgrammeChart(byId('programme-chart'));
  private readonly historyChart = new PledgeHistoryChart(byId('pledge-history-chart'));
  /** The programme the chart draws: the one chosen, else the first. */
  private chosenProgramme: string | undefined;
  private renderPending = false;
  private following = false;

  constructor(private readonly token: string) {
    this.client = new LiveClient({ url: window.location.origin, token });
    this.model = new DashboardModel(this.client.values);
    this.client
      .on('value', () => this.changed())
      .on('state', (state, detail) => this.connectionChanged(state, detail))
      .on('refused', (error) => {
        if (error.channel) this.refused.add(error.channel);
        void this.follow();
      });
    this.bindControls();
    this.columns = this.model.pledgeColumns();
    this.renderHeader();
    setInterval(() => renderFreshness(this.client.newest?.receivedAt, Date.now()), 1000);
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
    renderPledges(this.model.pledgeRows(this.query), this.columns);
  }

  private connectionChanged(state: string, detail?: string): void {
    renderConnection(state);
    if (state === 'refused') {
      this.client.close();
      logOut(`The gateway refused the token${detail ? ` (${detail})` : ''}.`);
    }
  }

  /** Subscribes what the model wants and is not followed yet, one request per batch. */
  private async follow(): Promise<void> {
    if (this.following) return;
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

  private render(): void {
    renderTotals(this.model.overview);
    this.flowItems.show(this.model.flowByItem());
    this.flowDonors.show(this.model.flowByDonor());
    const capacity = this.model.capacityVsDemand();
    this.capacity.show(capacity);
    renderCapacity(capacity);
    const columns = this.model.pledgeColumns();
    if (columns.join() !== this.columns.join()) {
      this.columns = columns;
      this.renderHeader();
    }
    this.renderPledgeRows();
    this.renderProgrammes();
    renderAlerts(this.model.alerts());
    renderFeed(this.model.feed());
    renderStockpiles(this.model.stockpiles());
    renderFreshness(this.client.newest?.receivedAt, Date.now());
  }

  private renderProgrammes(): void {
    const values = this.model.programmeValues();
    const drawn =
      values.find((value) => value.programmeId === this.chosenProgramme) ?? values.at(0);
    this.programmeChart.show(drawn);
    renderProgrammes(values, drawn?.programmeId, (programmeId) => {
      this.chosenProgramme = programmeId;
      this.renderProgrammes();
    });
  }

  /** Opens a pledge's history (`GET /v1/pledges/:id/history`) in the detail dialog. */
  private async openHistory(pledgeId: string): Promise<void> {
    const dialog = byId<HTMLDialogElement>('pledge-detail');
    renderPledgeHistory(pledgeId, undefined, 'Loading…');
    this.historyChart.show([]);
    if (!dialog.open) dialog.showModal();
    try {
      const response = await fetch(`/v1/pledges/${encodeURIComponent(pledgeId)}/history`, {
        headers: { Authorization: `Bearer ${this.token}` },
      });
      if (!response.ok) {
        renderPledgeHistory(pledgeId, undefined, `No history to show (${response.status}).`);
        return;
      }
      const history = (await response.json()) as PledgeHistory;
      renderPledgeHistory(pledgeId, history);
      this.historyChart.show(history.entries);
    } catch {
      renderPledgeHistory(pledgeId, undefined, 'The gateway did not answer.');
    }
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
    byId('pledges').addEventListener('click', (event) => {
      const pledgeId = (event.target as HTMLElement).closest<HTMLElement>('[data-history]')?.dataset
        .history;
      if (pledgeId) void this.openHistory(pledgeId);
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
