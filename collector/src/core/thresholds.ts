import type { FaultEvent, ThresholdRule } from '@faultline/shared';

/** One value a threshold rule may look at. */
export interface ThresholdSample {
  readonly source: ThresholdRule['source'];
  readonly device: string;
  readonly metric: string;
  readonly value: number;
  /** When the value was measured, epoch ms: `forS` is measured on this clock. */
  readonly timeMs: number;
  /** The reading's tags; a polled interface is `{ interface: <name> }`. */
  readonly tags: Readonly<Record<string, string>>;
}

/** Where one series (rule × device × tags) stands. */
export type SeriesState =
  | { readonly status: 'normal' }
  /** Beyond `raise` since `sinceMs`, not yet for `forS`. */
  | { readonly status: 'pending'; readonly sinceMs: number }
  /** Raised; stays so until the value is back beyond `clear`. */
  | { readonly status: 'raised'; readonly sinceMs: number };

/** What one sample did to one series. */
export type ThresholdStep =
  | { readonly kind: 'none' }
  | { readonly kind: 'raised'; readonly sinceMs: number }
  | { readonly kind: 'cleared'; readonly sinceMs: number };

const NORMAL: SeriesState = { status: 'normal' };

/** True when `value` is beyond `level` in the rule's direction. */
function beyond(rule: Pick<ThresholdRule, 'direction'>, value: number, level: number): boolean {
  return rule.direction === 'above' ? value > level : value < level;
}

/**
 * One step of one series. Beyond `raise` starts a pending period (or raises at once when `forS`
 * is 0); a sample back within `raise` before `forS` has passed ends it quietly. A raised series
 * clears only once the value is beyond `clear` on the normal side; between `clear` and `raise` it
 * stays raised (hysteresis).
 */
export function stepThreshold(
  state: SeriesState,
  rule: Pick<ThresholdRule, 'direction' | 'raise' | 'clear' | 'forS'>,
  value: number,
  timeMs: number,
): { state: SeriesState; step: ThresholdStep } {
  if (state.status === 'raised') {
    const back = rule.direction === 'above' ? value < rule.clear : value > rule.clear;
    return back
      ? { state: NORMAL, step: { kind: 'cleared', sinceMs: state.sinceMs } }
      : { state, step: { kind: 'none' } };
  }
  if (!beyond(rule, value, rule.raise)) return { state: NORMAL, step: { kind: 'none' } };
  const sinceMs = state.status === 'pending' ? state.sinceMs : timeMs;
  if (timeMs - sinceMs >= rule.forS * 1000) {
    return { state: { status: 'raised', sinceMs }, step: { kind: 'raised', sinceMs } };
  }
  return { state: { status: 'pending', sinceMs }, step: { kind: 'none' } };
}

/** True when the rule applies to the sample: source, metric, device and tag filters. */
export function ruleMatches(rule: ThresholdRule, sample: ThresholdSample): boolean {
  if (rule.source !== sample.source || rule.metric !== sample.metric) return false;
  if (rule.devices !== undefined && !rule.devices.includes(sample.device)) return false;
  for (const [key, value] of Object.entries(rule.match ?? {})) {
    if (sample.tags[key] !== value) return false;
  }
  return true;
}

/** The key of one series: rule, device and every tag. */
export function seriesKey(rule: string, sample: Pick<ThresholdSample, 'device' | 'tags'>): string {
  const tags = Object.entries(sample.tags)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`);
  return [rule, sample.device, ...tags].join('\u0000');
}

/** The affected component: the interface, else the sensor, when the sample names one. */
export function sampleComponent(sample: Pick<ThresholdSample, 'tags'>): string | undefined {
  return sample.tags.interface ?? sample.tags.sensor;
}

/** `threshold:<rule>:<device>[:<component>]`: the problem a raised rule is. */
export function thresholdReductionKey(rule: string, device: string, component?: string): string {
  return `threshold:${rule}:${device}${component === undefined ? '' : `:${component}`}`;
}

/** A raised or cleared step, with what the event needs. */
export interface ThresholdDecision {
  readonly kind: 'raised' | 'cleared';
  readonly rule: ThresholdRule;
  readonly sample: ThresholdSample;
  /** When the value first went beyond `raise`. */
  readonly sinceMs: number;
}

/**
 * Runs every rule that applies to a sample. Pure: `states` is read, the changed series are
 * returned as `updates` for the caller to store.
 */
export function evaluateThresholds(
  states: ReadonlyMap<string, SeriesState>,
  rules: readonly ThresholdRule[],
  sample: ThresholdSample,
): { updates: [string, SeriesState][]; decisions: ThresholdDecision[] } {
  const updates: [string, SeriesState][] = [];
  const decisions: ThresholdDecision[] = [];
  for (const rule of rules) {
    if (!ruleMatches(rule, sample)) continue;
    const key = seriesKey(rule.name, sample);
    const before = states.get(key) ?? NORMAL;
    const { state, step } = stepThreshold(before, rule, sample.value, sample.timeMs);
    if (state !== before) updates.push([key, state]);
    if (step.kind !== 'none') {
      decisions.push({ kind: step.kind, rule, sample, sinceMs: step.sinceMs });
    }
  }
  return { updates, decisions };
}

/** The built-in names and unit of the poll metrics, which a rule may still rename. */
const POLL_METRIC_NAMES: Readonly<Record<string, { label: string; unit: string }>> = {
  utilization_percent: { label: 'Utilization', unit: '%' },
  in_utilization_percent: { label: 'Inbound utilization', unit: '%' },
  out_utilization_percent: { label: 'Outbound utilization', unit: '%' },
};

/**
 * How a rule's metric reads for people: the rule's `label` and `unit`, else the poll metric's
 * built-in ones, else the metric's own name without a unit.
 */
export function metricWording(rule: Pick<ThresholdRule, 'metric' | 'label' | 'unit'>): {
  label: string;
  unit: string;
} {
  const builtIn = POLL_METRIC_NAMES[rule.metric];
  return {
    label: rule.label ?? builtIn?.label ?? rule.metric,
    unit: rule.unit ?? builtIn?.unit ?? '',
  };
}

/** A value with its unit: `95%`, `-27.46 dBm` (a percent sign sticks to the number). */
function withUnit(value: number, unit: string): string {
  const number = String(Math.round(value * 100) / 100);
  if (unit === '') return number;
  return unit === '%' ? `${number}%` : `${number} ${unit}`;
}

/**
 * The event of a decision. A raise has the reduction key `threshold:<rule>:<device>[:<component>]`
 * and the rule's severity; a clear has its own key (`thresholdClear:…`), severity `cleared`, and
 * names the raise's key as its clear key.
 */
export function thresholdEvent(decision: ThresholdDecision, id: string): FaultEvent {
  const { rule, sample } = decision;
  const component = sampleComponent(sample);
  const key = thresholdReductionKey(rule.name, sample.device, component);
  const where = component === undefined ? sample.device : `${sample.device} ${component}`;
  const { label, unit } = metricWording(rule);
  const value = withUnit(sample.value, unit);
  const base = {
    id,
    source: 'threshold' as const,
    device: sample.device,
    deviceKnown: true,
    ...(component === undefined ? {} : { component }),
    type: rule.name,
    timeMs: sample.timeMs,
    details: {
      rule: rule.name,
      metric: sample.metric,
      value: sample.value,
      direction: rule.direction,
      raise: rule.raise,
      clear: rule.clear,
      forS: rule.forS,
      sinceMs: decision.sinceMs,
      tags: sample.tags,
    },
  };
  if (decision.kind === 'raised') {
    return {
      ...base,
      severity: rule.severity,
      reductionKey: key,
      description: `${label} ${value}, ${rule.direction} ${withUnit(rule.raise, unit)} on ${where}${rule.forS > 0 ? ` for ${String(rule.forS)} s` : ''}`,
    };
  }
  return {
    ...base,
    severity: 'cleared',
    reductionKey: `thresholdClear:${key.slice('threshold:'.length)}`,
    clearKey: key,
    description: `${label} ${value}, back ${rule.direction === 'above' ? 'below' : 'above'} ${withUnit(rule.clear, unit)} on ${where}`,
  };
}

/**
 * The utilization samples of polled interface points, in % of the configured speed (what is sold,
 * rather than what the agent claims): in, out, and the larger of the two. Points without a rate
 * (first poll, reset, quarantine) give none for that direction.
 */
export function utilizationSamples(
  points: readonly {
    readonly device: string;
    readonly interface: string;
    readonly timeMs: number;
    readonly inBps?: number;
    readonly outBps?: number;
  }[],
  speedMbps: (device: string, interfaceName: string) => number | undefined,
): ThresholdSample[] {
  const samples: ThresholdSample[] = [];
  for (const point of points) {
    const speed = speedMbps(point.device, point.interface);
    if (speed === undefined || speed <= 0) continue;
    const base = {
      source: 'poll' as const,
      device: point.device,
      timeMs: point.timeMs,
      tags: { interface: point.interface },
    };
    const percent = (bps: number): number => (bps / (speed * 1e6)) * 100;
    const rates: number[] = [];
    if (point.inBps !== undefined) {
      rates.push(percent(point.inBps));
      samples.push({ ...base, metric: 'in_utilization_percent', value: percent(point.inBps) });
    }
    if (point.outBps !== undefined) {
      rates.push(percent(point.outBps));
      samples.push({ ...base, metric: 'out_utilization_percent', value: percent(point.outBps) });
    }
    if (rates.length > 0) {
      samples.push({ ...base, metric: 'utilization_percent', value: Math.max(...rates) });
    }
  }
  return samples;
}
