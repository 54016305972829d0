import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  ChartDataset,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
} from 'chart.js';
import type { PledgeHistoryEntry, ProgrammeValue } from '@tracker/read-model';
import {
  CapacityRow,
  FlowRow,
  FlowStage,
  flowStages,
  HISTORY_CHART_FIGURES,
  HistorySeries,
  historySeries,
  PledgeChartSeries,
  programmeSeries,
} from './model';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Legend,
  Tooltip,
);

const FLOW: Record<FlowStage, { label: string; colour: string }> = {
  allocated: { label: 'Allocated', colour: '#6b8fbf' },
  shipped: { label: 'Shipped', colour: '#0b4f8a' },
  accepted: { label: 'Accepted', colour: '#116329' },
};

/** "Allocated, shipped, accepted": the stages a flow chart draws, as its heading names them. */
function stageList(stages: readonly FlowStage[]): string {
  const text = stages.map((stage) => FLOW[stage].label.toLowerCase()).join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const percent = (part: number, whole: number) =>
  whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0;

/** Diagonal stripes: how every chart draws an estimate, apart from solid facts. */
function estimatePattern(colour: string): CanvasPattern | string {
  const tile = document.createElement('canvas');
  tile.width = 8;
  tile.height = 8;
  const context = tile.getContext('2d');
  if (!context) return colour;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, 8, 8);
  context.strokeStyle = colour;
  context.lineWidth = 2;
  context.beginPath();
  context.moveTo(0, 8);
  context.lineTo(8, 0);
  context.stroke();
  return context.createPattern(tile, 'repeat') ?? colour;
}

type BarChart = Chart<'bar', (number | null)[], string>;

function barChart(
  canvas: HTMLCanvasElement,
  y: Record<string, unknown>,
  tooltip?: (datasetIndex: number, index: number) => string,
): BarChart {
  return new Chart(canvas, {
    type: 'bar',
    data: { labels: [], datasets: [] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: { y },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: tooltip && {
          callbacks: { label: (item) => tooltip(item.datasetIndex, item.dataIndex) },
        },
      },
    },
  });
}

/**
 * Allocated, shipped and accepted as a share of what was pledged, one group of bars per row:
 * items are counted in units as different as rounds and tanks, so shares compare, counts do not
 * (the tooltip and the table give the counts). Only the stages the viewer sees are drawn, and
 * the heading names them (a public view has accepted only).
 */
export class FlowChart {
  private readonly chart: BarChart;
  private rows: readonly FlowRow[] = [];
  private stages: readonly FlowStage[] = [];

  /** `open` is called with the label of a bar group clicked: its donor's or item's page. */
  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly heading: HTMLElement,
    private readonly subject: string,
    open?: (label: string) => void,
  ) {
    this.chart = barChart(
      canvas,
      { beginAtZero: true, max: 100, title: { display: true, text: '% of pledged' } },
      (dataset, index) => {
        const row = this.rows[index];
        const stage = this.stages[dataset];
        const part = row[stage] ?? 0;
        return `${FLOW[stage].label}: ${part.toLocaleString('en-GB')} of ${row.pledged.toLocaleString('en-GB')} (${percent(part, row.pledged)} %)`;
      },
    );
    if (open) {
      this.chart.options.onClick = (_event, elements) => {
        const row = elements[0] === undefined ? undefined : this.rows[elements[0].index];
        if (row) open(row.label);
      };
    }
  }

  show(rows: readonly FlowRow[]): void {
    this.rows = rows;
    this.stages = flowStages(rows);
    this.chart.data.labels = rows.map((row) => row.label);
    this.chart.data.datasets = this.stages.map((stage) => ({
      label: FLOW[stage].label,
      backgroundColor: FLOW[stage].colour,
      data: rows.map((row) => {
        const part = row[stage];
        return part === null ? null : percent(part, row.pledged);
      }),
    }));
    this.chart.update('none');
    this.heading.textContent = `${stageList(this.stages)} as % of pledged, per ${this.subject}`;
    const summary = rows
      .map((row) => `${row.label}: ${row.pledged} pledged, ${row.accepted} accepted`)
      .join('; ');
    this.canvas.setAttribute('aria-label', `Quantities per ${this.subject}. ${summary}`);
  }
}

/**
 * Outstanding demand and production (facts) against declared capacity (an estimate); the
 * production series only when the viewer sees production.
 */
export class CapacityChart {
  private readonly chart: BarChart;
  private readonly demand: ChartDataset<'bar', (number | null)[]> = {
    label: 'Outstanding demand',
    data: [],
    backgroundColor: '#a40e26',
  };
  private readonly produced: ChartDataset<'bar', (number | null)[]> = {
    label: 'Produced per month',
    data: [],
    backgroundColor: '#116329',
  };
  private readonly capacity: ChartDataset<'bar', (number | null)[]>;

  constructor(private readonly canvas: HTMLCanvasElement) {
    // Logarithmic: shells by the hundred thousand and tanks by the dozen share one axis.
    this.chart = barChart(canvas, { type: 'logarithmic', min: 1 });
    this.capacity = {
      label: 'Declared capacity per month (estimate)',
      data: [],
      backgroundColor: estimatePattern('#5b3f8c'),
      borderColor: '#5b3f8c',
      borderWidth: 1,
    };
  }

  show(rows: readonly CapacityRow[]): void {
    const produced = rows.some((row) => row.producedPerMonth !== null);
    this.chart.data.labels = rows.map((row) => row.item);
    this.demand.data = rows.map((row) => row.outstandingDemand);
    this.produced.data = rows.map((row) => row.producedPerMonth);
    this.capacity.data = rows.map((row) => row.capacityPerMonth);
    this.chart.data.datasets = produced
      ? [this.demand, this.produced, this.capacity]
      : [this.demand, this.capacity];
    this.chart.update('none');
    const summary = rows
      .map(
        (row) =>
          `${row.item}: demand ${row.outstandingDemand}, capacity ${row.capacityPerMonth} a month (estimate)`,
      )
      .join('; ');
    this.canvas.setAttribute('aria-label', `Capacity and demand per item. ${summary}`);
  }
}

type LineChart = Chart<'line', (number | null)[], string>;

/** An empty line chart over time, from zero, its legend below: the programme's and the figures' charts. */
function lineChart(canvas: HTMLCanvasElement): LineChart {
  return new Chart(canvas, {
    type: 'line',
    data: { labels: [], datasets: [] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      spanGaps: true,
      scales: { y: { beginAtZero: true } },
      plugins: { legend: { position: 'bottom' } },
    },
  });
}

/**
 * A programme against its target over time: cumulative pledged and delivered (facts, solid),
 * the target (a flat line), the deadline (a marker on the target line) and the forecast of when
 * the target is reached (dashed: an estimate).
 */
export class ProgrammeChart {
  private readonly chart: LineChart;

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.chart = lineChart(canvas);
  }

  show(value: ProgrammeValue | undefined): void {
    const series = value ? programmeSeries(value) : undefined;
    this.chart.data.labels = series?.months ?? [];
    this.chart.data.datasets = series
      ? [
          { label: 'Pledged', data: series.pledged, borderColor: '#6b8fbf', pointRadius: 0 },
          { label: 'Delivered', data: series.delivered, borderColor: '#116329', pointRadius: 0 },
          {
            label: 'Target',
            data: series.target,
            borderColor: '#a40e26',
            borderWidth: 1,
            pointRadius: 0,
          },
          {
            label: 'Deadline',
            data: series.deadline,
            borderColor: '#a40e26',
            backgroundColor: '#a40e26',
            pointStyle: 'triangle',
            pointRadius: 8,
            showLine: false,
          },
          {
            label: 'Forecast (estimate)',
            data: series.forecast,
            borderColor: '#5b3f8c',
            borderDash: [6, 4],
            pointRadius: 3,
          },
        ]
      : [];
    this.chart.update('none');
    this.canvas.setAttribute(
      'aria-label',
      value
        ? `${value.programmeId}: ${value.accepted} delivered and ${value.pledged} pledged against a target of ${value.targetQuantity ?? 'no declared'}${value.deadline ? ` by ${value.deadline}` : ''}`
        : 'No programme',
    );
  }
}

const HISTORY_COLOURS = {
  pledged: '#6b8fbf',
  allocated: '#5b3f8c',
  shipped: '#0b4f8a',
  accepted: '#116329',
} as const;

/**
 * Pledged, allocated, shipped and accepted over time, each a step line as the tracker recorded
 * them (facts, solid): a pledge's from its history, a donor's or an item's from its pledges'
 * histories summed. A pledge's chart also marks its target date (a triangle at the quantity
 * pledged) and draws its forecast completion dashed, labelled as the estimate it is. A click on
 * a bar of a flow chart is the other way in; this chart only shows.
 */
export class FiguresChart {
  private readonly chart: LineChart;

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.chart = lineChart(canvas);
  }

  /** Draws `series`; `description` is what a screen reader hears of it. */
  show(series: HistorySeries | PledgeChartSeries, description: string): void {
    this.chart.data.labels = series.labels;
    const figures: ChartDataset<'line', (number | null)[]>[] = HISTORY_CHART_FIGURES.filter(
      (figure) => series.figures[figure].some((point) => point !== null),
    ).map((figure) => ({
      label: figure.charAt(0).toUpperCase() + figure.slice(1),
      data: series.figures[figure],
      borderColor: HISTORY_COLOURS[figure],
      backgroundColor: HISTORY_COLOURS[figure],
      stepped: true,
      pointRadius: 2,
    }));
    const marks: ChartDataset<'line', (number | null)[]>[] = [];
    if ('target' in series && series.target.some((point) => point !== null)) {
      marks.push({
        label: 'Target date',
        data: series.target,
        borderColor: '#a40e26',
        backgroundColor: '#a40e26',
        pointStyle: 'triangle',
        pointRadius: 8,
        showLine: false,
      });
    }
    if ('forecast' in series && series.forecast.some((point) => point !== null)) {
      marks.push({
        label: 'Forecast completion (estimate)',
        data: series.forecast,
        borderColor: '#5b3f8c',
        backgroundColor: '#5b3f8c',
        borderDash: [6, 4],
        pointRadius: 3,
      });
    }
    this.chart.data.datasets = [...figures, ...marks];
    this.chart.update('none');
    this.canvas.setAttribute('aria-label', description);
  }
}

/** "After 2 events: pledged 800000, accepted 524000": the figures a history left. */
export function describeHistory(entries: readonly PledgeHistoryEntry[]): string {
  const series = historySeries(entries);
  const last = (figure: (typeof HISTORY_CHART_FIGURES)[number]) =>
    series.figures[figure].at(-1) ?? null;
  return `After ${entries.length} events: ${HISTORY_CHART_FIGURES.filter((f) => last(f) !== null)
    .map((f) => `${f} ${last(f)}`)
    .join(', ')}`;
}
