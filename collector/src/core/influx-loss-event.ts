import type { FaultEvent } from '@faultline/shared';

/** The event type the collector raises about itself when InfluxDB points are lost. */
export const INFLUX_WRITE_LOSS_TYPE = 'influxWriteLoss';

/**
 * The self-event of lost InfluxDB points: `source: system`, the InfluxDB server (host:port) as
 * the device, keyed by it so repeated losses are one alarm that counts up.
 */
export function influxLossEvent(input: {
  readonly id: string;
  readonly timeMs: number;
  /** `host:port` of the InfluxDB server. */
  readonly server: string;
  readonly database: string;
  readonly lostPoints: number;
  readonly totalLostPoints: number;
  readonly reasons: readonly string[];
}): FaultEvent {
  return {
    id: input.id,
    source: 'system',
    device: input.server,
    deviceKnown: false,
    component: input.database,
    type: INFLUX_WRITE_LOSS_TYPE,
    severity: 'major',
    timeMs: input.timeMs,
    reductionKey: `${INFLUX_WRITE_LOSS_TYPE}:${input.server}`,
    description: `${String(input.lostPoints)} metric points lost writing to InfluxDB at ${input.server} (${input.reasons.join(', ')})`,
    details: {
      lostPoints: input.lostPoints,
      totalLostPoints: input.totalLostPoints,
      reasons: input.reasons,
      database: input.database,
    },
  };
}
