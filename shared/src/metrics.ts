/**
 * One self-metric of a component, shaped for the Prometheus text format: the api renders every
 * component's metrics at `GET /metrics`. Counters only grow for the life of the process.
 */
export interface ComponentMetric {
  /** Prometheus metric name, e.g. `faultline_collector_traps_received_total`. */
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly labels?: Readonly<Record<string, string>>;
  readonly value: number;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/**
 * Renders metrics in the Prometheus text exposition format (version 0.0.4): one HELP and TYPE
 * line per metric name, then its samples. Samples of one name are kept together, as the format
 * requires, whatever order they come in.
 */
export function renderPrometheus(metrics: readonly ComponentMetric[]): string {
  const byName = new Map<string, ComponentMetric[]>();
  for (const metric of metrics) {
    const group = byName.get(metric.name);
    if (group) group.push(metric);
    else byName.set(metric.name, [metric]);
  }
  const lines: string[] = [];
  for (const [name, group] of byName) {
    const first = group[0];
    if (!first) continue;
    lines.push(`# HELP ${name} ${first.help.replace(/\n/g, ' ')}`, `# TYPE ${name} ${first.type}`);
    for (const metric of group) {
      const labels = Object.entries(metric.labels ?? {});
      const labelText =
        labels.length === 0
          ? ''
          : `{${labels.map(([key, value]) => `${key}="${escapeLabel(value)}"`).join(',')}}`;
      lines.push(`${name}${labelText} ${formatValue(metric.value)}`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
