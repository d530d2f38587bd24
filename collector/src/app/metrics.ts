/**
 * One self-metric of a component, shaped for the Prometheus text format: the api renders these at
 * /metrics. Counters only grow for the life of the process.
 */
export interface ComponentMetric {
  /** Prometheus metric name, e.g. `faultline_collector_traps_received_total`. */
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly labels?: Readonly<Record<string, string>>;
  readonly value: number;
}
