import type { ComponentMetric } from '@faultline/shared';
import type { EventQueue } from './adapters/event-queue.js';
import type { InfluxWriter } from './adapters/influx-writer.js';
import type { LoadedMibs } from './adapters/mib-loader.js';
import type { MqttSubscriber } from './adapters/mqtt-subscriber.js';
import type { SnmpPoller } from './adapters/snmp-poller.js';
import type { TrapReceiver } from './adapters/trap-receiver.js';
import type { AuthFailurePipeline } from './app/auth-failure-pipeline.js';
import type { InfluxLossReporter } from './app/influx-loss-reporter.js';
import type { PollPipeline } from './app/poll-pipeline.js';
import type { ReachabilityPipeline } from './app/reachability-pipeline.js';
import type { TelemetryPipeline } from './app/telemetry-pipeline.js';
import type { ThresholdPipeline } from './app/threshold-pipeline.js';
import { TELEMETRY_INVALID_REASONS } from './core/telemetry-message.js';

/** The running parts whose counters the collector reports. */
export interface MetricSources {
  readonly queue: EventQueue;
  readonly writer: InfluxWriter;
  readonly receiver: TrapReceiver;
  readonly poller: SnmpPoller;
  readonly pipeline: PollPipeline;
  readonly telemetry: TelemetryPipeline;
  readonly subscriber: MqttSubscriber;
  readonly thresholds: ThresholdPipeline;
  readonly reachability: ReachabilityPipeline;
  readonly authFailures: AuthFailurePipeline;
  readonly mibs: LoadedMibs;
  readonly influxLoss: InfluxLossReporter;
}

const metric = (
  name: string,
  help: string,
  value: number | undefined,
  type: ComponentMetric['type'] = 'counter',
  labels?: Record<string, string>,
): ComponentMetric => ({
  name: `faultline_collector_${name}`,
  help,
  type,
  value: value ?? 0,
  ...(labels ? { labels } : {}),
});

/** The collector's counters as metrics; all zero when it is not running. */
export function collectorMetrics(parts: MetricSources | undefined): ComponentMetric[] {
  const traps = parts?.receiver.counters;
  const queue = parts?.queue.counters;
  const polls = parts?.poller.counters;
  const outcomes = parts?.pipeline.outcomes;
  const influx = parts?.writer.counters;
  const telemetry = parts?.telemetry;
  return [
    metric('traps_received_total', 'UDP datagrams received on the trap socket.', traps?.received),
    metric(
      'traps_decoded_total',
      'Notifications decoded and accepted (v1/v2c traps, informs).',
      traps?.decoded,
    ),
    metric(
      'traps_malformed_total',
      'Datagrams that were not a decodable notification.',
      traps?.malformed,
    ),
    metric(
      'traps_unauthorized_total',
      'Notifications that failed authorization: unknown community or user, wrong key.',
      traps?.unauthorized,
    ),
    metric(
      'traps_discovery_total',
      'SNMPv3 engine-ID discovery probes answered with a report.',
      traps?.discovery,
    ),
    metric(
      'mib_modules_loaded',
      'Vendor MIB modules loaded from snmp.mibDirs at start.',
      parts?.mibs.modules.length,
      'gauge',
    ),
    metric(
      'mib_files_skipped',
      'Files in snmp.mibDirs skipped at start (not a MIB, missing imports, parse error).',
      parts?.mibs.skipped.length,
      'gauge',
    ),
    metric(
      'trap_auth_failure_events_total',
      'Security events sent for refused notifications (at most one per source per 15 min).',
      parts?.authFailures.counters.events,
    ),
    metric(
      'traps_dropped_total',
      'Decoded notifications that could not be queued as events.',
      traps?.dropped,
    ),
    metric(
      'traps_overflowed_total',
      'Datagrams read off the trap socket but dropped: the backlog waiting to be decoded was full.',
      traps?.overflowed,
    ),
    metric(
      'events_enqueued_total',
      "Events written to their partitions' events queues.",
      queue?.enqueued,
    ),
    metric(
      'event_batches_total',
      "Event batch jobs written to the partitions' events queues (one partition each).",
      queue?.batches,
    ),
    metric(
      'event_batch_errors_total',
      'Failed attempts to add an event batch (retried).',
      queue?.addErrors,
    ),
    metric(
      'events_dropped_total',
      'Events given up: queue over capacity or unsent at stop.',
      queue?.dropped,
    ),
    metric(
      'events_pending',
      'Events buffered or being written to the queue.',
      parts?.queue.pending(),
      'gauge',
    ),
    metric('polls_total', 'Device polls begun.', polls?.polls),
    metric('polls_succeeded_total', 'Device polls answered.', polls?.succeeded),
    metric('polls_failed_total', 'Device polls failed (timeout or error).', polls?.failed),
    metric(
      'polls_skipped_total',
      'Polls skipped because the previous one still ran.',
      polls?.skipped,
    ),
    ...(['first', 'rate', 'reset', 'quarantined', 'no-interval'] as const).map((decision) =>
      metric(
        'counter_samples_total',
        'Interface counter samples by counter-math decision.',
        outcomes?.[decision],
        'counter',
        { decision },
      ),
    ),
    metric(
      'telemetry_messages_total',
      'MQTT telemetry messages received.',
      telemetry?.counters.messages,
    ),
    metric(
      'telemetry_points_total',
      'Telemetry readings handed to the InfluxDB writer.',
      telemetry?.counters.points,
    ),
    ...TELEMETRY_INVALID_REASONS.map((reason) =>
      metric(
        'telemetry_invalid_total',
        'Telemetry messages refused, by reason.',
        telemetry?.invalid[reason],
        'counter',
        { reason },
      ),
    ),
    metric(
      'telemetry_dead_lettered_total',
      'Refused telemetry messages stored in the dead-letter list.',
      telemetry?.counters.deadLettered,
    ),
    metric(
      'telemetry_dead_letter_errors_total',
      'Refused telemetry messages the dead-letter list could not take.',
      telemetry?.counters.deadLetterErrors,
    ),
    metric(
      'telemetry_subscribed',
      '1 while subscribed to the MQTT broker.',
      parts?.subscriber.subscribed() === true ? 1 : 0,
      'gauge',
    ),
    ...(
      ['deviceDown', 'deviceUp', 'linkDown', 'linkUp', 'linkVerifiedUp', 'restarted'] as const
    ).map((kind) =>
      metric(
        'poll_events_total',
        'Reachability and link events from polls, by kind.',
        parts?.reachability.counts[kind],
        'counter',
        { kind },
      ),
    ),
    metric(
      'threshold_events_total',
      'Threshold events sent, by kind.',
      parts?.thresholds.counters.raised,
      'counter',
      { kind: 'raised' },
    ),
    metric(
      'threshold_events_total',
      'Threshold events sent, by kind.',
      parts?.thresholds.counters.cleared,
      'counter',
      { kind: 'cleared' },
    ),
    metric(
      'influx_points_total',
      'Interface and telemetry points handed to the InfluxDB writer.',
      influx?.points,
    ),
    metric('influx_points_written_total', 'Points InfluxDB accepted.', influx?.written),
    metric(
      'influx_points_dropped_total',
      'Points given up after retries or rejected.',
      influx?.dropped,
    ),
    metric(
      'influx_write_loss_events_total',
      'influxWriteLoss self-events sent (at most one per 5 minutes).',
      parts?.influxLoss.counters.events,
    ),
    metric('influx_write_errors_total', 'Failed InfluxDB write attempts.', influx?.writeErrors),
  ];
}
