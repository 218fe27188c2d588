/**
 * Bar charts for the dashboard, drawn with Chart.js. Only what the bars need is registered (the bar
 * controller, its element, the two scales, legend and tooltip), so the bundle leaves the rest of
 * the library out; this module is loaded only when the dashboard shows a chart.
 *
 * A chart is an illustration: each one has its data table beside it, which is what prints and what
 * a screen reader reads.
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface Series {
  label: string;
  values: number[];
  colour: string;
}

export interface BarSpec {
  labels: string[];
  series: Series[];
  /** Series stacked on one bar (stars of a year) rather than side by side. */
  stacked?: boolean;
  /** Bars along the vertical axis (long labels: sets, localities). */
  horizontal?: boolean;
}

/** The palette: the app's accent, then colours that stay apart when printed in grey. */
export const COLOURS = ['#1f5fae', '#dfa43a', '#2f8a4a', '#8a5cc2', '#b3261e', '#5b6b7c'] as const;

/** Draws `spec` on `canvas`; returns the function that removes the chart. */
export function drawBars(canvas: HTMLCanvasElement, spec: BarSpec): () => void {
  const chart = new Chart(canvas, {
    type: 'bar',
    data: {
      labels: spec.labels,
      datasets: spec.series.map((s) => ({ label: s.label, data: s.values, backgroundColor: s.colour, borderWidth: 0 })),
    },
    options: {
      indexAxis: spec.horizontal ? 'y' : 'x',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: spec.series.length > 1, position: 'bottom' } },
      scales: {
        x: { stacked: spec.stacked ?? false, ticks: { precision: 0 }, beginAtZero: true },
        y: { stacked: spec.stacked ?? false, ticks: { precision: 0 }, beginAtZero: true },
      },
    },
  });
  return () => chart.destroy();
}
