import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  ChartDataset,
  Legend,
  LinearScale,
  LogarithmicScale,
  Tooltip,
} from 'chart.js';
import type { CapacityRow, FlowRow } from './model';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LogarithmicScale,
  Legend,
  Tooltip,
);

const FLOW = [
  { key: 'allocated', label: 'Allocated', colour: '#6b8fbf' },
  { key: 'shipped', label: 'Shipped', colour: '#0b4f8a' },
  { key: 'accepted', label: 'Accepted', colour: '#116329' },
] as const;

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

function barChart(
  canvas: HTMLCanvasElement,
  y: Record<string, unknown>,
  tooltip?: (datasetIndex: number, index: number) => string,
): Chart<'bar', number[], string> {
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
 * (the tooltip and the table give the counts).
 */
export class FlowChart {
  private readonly chart: Chart<'bar', number[], string>;
  private rows: readonly FlowRow[] = [];

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly subject: string,
  ) {
    this.chart = barChart(
      canvas,
      { beginAtZero: true, max: 100, title: { display: true, text: '% of pledged' } },
      (dataset, index) => {
        const row = this.rows[index];
        const { key, label } = FLOW[dataset];
        return `${label}: ${row[key].toLocaleString('en-GB')} of ${row.pledged.toLocaleString('en-GB')} (${percent(row[key], row.pledged)} %)`;
      },
    );
    this.chart.data.datasets = FLOW.map(({ label, colour }) => ({
      label,
      data: [],
      backgroundColor: colour,
    }));
  }

  show(rows: readonly FlowRow[]): void {
    this.rows = rows;
    this.chart.data.labels = rows.map((row) => row.label);
    FLOW.forEach(({ key }, index) => {
      this.chart.data.datasets[index].data = rows.map((row) => percent(row[key], row.pledged));
    });
    this.chart.update('none');
    const summary = rows
      .map((row) => `${row.label}: ${row.pledged} pledged, ${row.accepted} accepted`)
      .join('; ');
    this.canvas.setAttribute('aria-label', `Quantities per ${this.subject}. ${summary}`);
  }
}

/** Outstanding demand and production (facts) against declared capacity (an estimate). */
export class CapacityChart {
  private readonly chart: Chart<'bar', number[], string>;

  constructor(private readonly canvas: HTMLCanvasElement) {
    // Logarithmic: shells by the hundred thousand and tanks by the dozen share one axis.
    this.chart = barChart(canvas, { type: 'logarithmic', min: 1 });
    const datasets: ChartDataset<'bar', number[]>[] = [
      { label: 'Outstanding demand', data: [], backgroundColor: '#a40e26' },
      { label: 'Produced per month', data: [], backgroundColor: '#116329' },
      {
        label: 'Declared capacity per month (estimate)',
        data: [],
        backgroundColor: estimatePattern('#5b3f8c'),
        borderColor: '#5b3f8c',
        borderWidth: 1,
      },
    ];
    this.chart.data.datasets = datasets;
  }

  show(rows: readonly CapacityRow[]): void {
    this.chart.data.labels = rows.map((row) => row.item);
    this.chart.data.datasets[0].data = rows.map((row) => row.outstandingDemand);
    this.chart.data.datasets[1].data = rows.map((row) => row.producedPerMonth);
    this.chart.data.datasets[2].data = rows.map((row) => row.capacityPerMonth);
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
