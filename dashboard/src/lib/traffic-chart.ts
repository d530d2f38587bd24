import type { InterfaceTraffic } from '@faultline/shared';

/** A rate for people: `183 Mbit/s`, `1.25 Gbit/s`, three significant digits; `–` for none. */
export function formatBps(bps: number | null): string {
  if (bps === null) return '–';
  const units = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s'];
  let value = Math.abs(bps);
  let unit = 0;
  while (value >= 999.5 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = value >= 100 || unit === 0 ? 0 : value >= 10 ? 1 : 2;
  return `${(Math.sign(bps) * value).toFixed(digits)} ${units[unit] ?? ''}`;
}

/** An interface speed as sold: `10 Gbit/s`, `100 Mbit/s`. */
export function formatSpeedMbps(speedMbps: number): string {
  return speedMbps >= 1000 ? `${String(speedMbps / 1000)} Gbit/s` : `${String(speedMbps)} Mbit/s`;
}

/** One line of the graph: its label, colour and dash, and its values (one per step). */
export interface ChartLine {
  readonly label: string;
  readonly colour: string;
  readonly dash: number[] | null;
  readonly values: (number | null)[];
}

/** The graph of an interface's traffic: x in seconds (what uPlot reads), in, out, each 95th. */
export interface TrafficChart {
  readonly timeS: number[];
  readonly lines: ChartLine[];
}

const IN_COLOUR = '#3ecf6e';
const OUT_COLOUR = '#4fb3ff';
const PERCENTILE_COLOUR = '#ff8a00';

/**
 * The lines of an interface's graph: in and out, and for each service billed by the 95th on it a
 * flat dashed line at that 95th (none when the range had no rate).
 */
export function trafficChart(traffic: InterfaceTraffic): TrafficChart {
  const lines: ChartLine[] = [
    { label: 'In', colour: IN_COLOUR, dash: null, values: traffic.inBps },
    { label: 'Out', colour: OUT_COLOUR, dash: null, values: traffic.outBps },
  ];
  for (const p of traffic.percentiles) {
    const at = p.percentileBps;
    if (at === null) continue;
    lines.push({
      label: `95th ${p.customerName} (${p.direction})`,
      colour: PERCENTILE_COLOUR,
      dash: [10, 6],
      values: traffic.timeMs.map(() => at),
    });
  }
  return { timeS: traffic.timeMs.map((t) => t / 1000), lines };
}
