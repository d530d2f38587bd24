import { Type, type Static } from '@sinclair/typebox';

/** Default MQTT topic filter for telemetry: `telemetry/<device>/<metric>`. */
export const TELEMETRY_TOPIC_FILTER = 'telemetry/#';

/**
 * The JSON envelope of one telemetry reading published over MQTT (the collector also accepts
 * InfluxDB line protocol). `time` is epoch milliseconds or an ISO 8601 string with a zone; when
 * absent the receive time is used. Examples of metrics: `optical_rx_dbm`, `temperature_c`,
 * `cpu_percent`.
 */
export const TelemetryMessageSchema = Type.Object(
  {
    device: Type.String({ minLength: 1, maxLength: 200 }),
    metric: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,99}$' }),
    value: Type.Number(),
    time: Type.Optional(
      Type.Union([Type.Integer({ minimum: 0 }), Type.String({ format: 'date-time' })]),
    ),
    /** Extra dimensions, e.g. `{ interface: 'xe-0/0/1', lane: '2' }`. */
    tags: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,99}$' }),
        Type.String({ maxLength: 200 }),
      ),
    ),
  },
  { additionalProperties: false },
);

/** One telemetry reading. */
export type TelemetryMessage = Static<typeof TelemetryMessageSchema>;

/**
 * The telemetry topics of one Faultline instance, `<prefix>/telemetry/#`: its collector always
 * subscribes to them besides `telemetry.topics`, and its simulator publishes there, so instances
 * sharing a broker under different prefixes never hear each other's simulated networks.
 */
export function instanceTelemetryFilter(prefix: string): string {
  return `${prefix}/telemetry/#`;
}

/** The topic an instance's simulated device publishes one metric on. */
export function telemetryTopic(prefix: string, device: string, metric: string): string {
  return `${prefix}/telemetry/${device}/${metric}`;
}
