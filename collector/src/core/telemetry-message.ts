import { TelemetryMessageSchema, createValidator, type TelemetryMessage } from '@faultline/shared';
import type { Inventory } from './inventory.js';
import { parseLineProtocol, type ProtocolLine } from './line-protocol.js';

/** One telemetry reading, whatever format it came in. */
export interface TelemetryReading {
  readonly device: string;
  readonly metric: string;
  readonly value: number;
  readonly timeMs: number;
  readonly tags: Readonly<Record<string, string>>;
}

/** A reading of a configured device, with the customer service its interface carries. */
export interface TelemetryPoint extends TelemetryReading {
  readonly service?: string;
  readonly customer?: string;
}

/** Why a telemetry message was refused. */
export type TelemetryInvalidReason =
  'too-large' | 'bad-json' | 'bad-envelope' | 'bad-line-protocol' | 'unknown-device';

/** Every reason, for counting. */
export const TELEMETRY_INVALID_REASONS: readonly TelemetryInvalidReason[] = [
  'too-large',
  'bad-json',
  'bad-envelope',
  'bad-line-protocol',
  'unknown-device',
];

/** A message's readings, all of them resolved, or why the whole message is refused. */
export type TelemetryDecision =
  | { readonly kind: 'accepted'; readonly points: readonly TelemetryPoint[] }
  | { readonly kind: 'invalid'; readonly reason: TelemetryInvalidReason; readonly message: string };

/** Tags the collector sets itself; a reading may not carry them. */
const RESERVED_TAGS = new Set(['device', 'metric', 'service', 'customer']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;
/** Most envelopes in one JSON array. */
const MAX_ENVELOPES = 10_000;

const envelope = createValidator(TelemetryMessageSchema);

const invalid = (reason: TelemetryInvalidReason, message: string): TelemetryDecision => ({
  kind: 'invalid',
  reason,
  message,
});

function checkTags(tags: Readonly<Record<string, string>>): string | undefined {
  for (const key of Object.keys(tags)) {
    if (RESERVED_TAGS.has(key)) return `tag "${key}" is reserved`;
  }
  return undefined;
}

function fromEnvelope(message: TelemetryMessage, receivedMs: number): TelemetryReading {
  const timeMs =
    message.time === undefined
      ? receivedMs
      : typeof message.time === 'number'
        ? message.time
        : Date.parse(message.time);
  return {
    device: message.device,
    metric: message.metric,
    value: message.value,
    timeMs,
    tags: message.tags ?? {},
  };
}

function decodeJson(text: string, receivedMs: number): TelemetryReading[] | TelemetryDecision {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return invalid('bad-json', error instanceof Error ? error.message : 'not JSON');
  }
  const items = Array.isArray(parsed) ? (parsed as unknown[]) : [parsed];
  if (items.length === 0 || items.length > MAX_ENVELOPES) {
    return invalid('bad-envelope', `expected 1 to ${String(MAX_ENVELOPES)} envelopes`);
  }
  const readings: TelemetryReading[] = [];
  for (const [index, item] of items.entries()) {
    const checked = envelope.check(item);
    const at = Array.isArray(parsed) ? `${String(index)}.` : '';
    if (!checked.ok) {
      const first = checked.problems[0];
      return invalid(
        'bad-envelope',
        first ? `${at}${first.path}: ${first.message}` : 'invalid envelope',
      );
    }
    const reserved = checkTags(checked.value.tags ?? {});
    if (reserved !== undefined) return invalid('bad-envelope', `${at}tags: ${reserved}`);
    readings.push(fromEnvelope(checked.value, receivedMs));
  }
  return readings;
}

/**
 * The readings of one line: each numeric (or boolean, as 1/0) field is a metric named
 * `<measurement>_<field>`, or just `<measurement>` for a field called `value`.
 */
function fromLine(
  line: ProtocolLine,
  receivedMs: number,
): TelemetryReading[] | { message: string } {
  const { device, ...tags } = line.tags;
  if (device === undefined) return { message: 'missing tag "device"' };
  const reserved = checkTags(tags);
  if (reserved !== undefined) return { message: reserved };
  const badTag = Object.keys(tags).find((key) => !NAME.test(key));
  if (badTag !== undefined) return { message: `invalid tag name "${badTag}"` };
  const timeMs = line.timeNs === undefined ? receivedMs : Number(line.timeNs / 1_000_000n);
  const readings: TelemetryReading[] = [];
  for (const [field, raw] of Object.entries(line.fields)) {
    if (typeof raw === 'string') return { message: `field "${field}" is a string` };
    const metric = field === 'value' ? line.measurement : `${line.measurement}_${field}`;
    if (!NAME.test(metric)) return { message: `invalid metric name "${metric}"` };
    const value = typeof raw === 'boolean' ? (raw ? 1 : 0) : raw;
    readings.push({ device, metric, value, timeMs, tags });
  }
  return readings;
}

function decodeLines(text: string, receivedMs: number): TelemetryReading[] | TelemetryDecision {
  const parsed = parseLineProtocol(text);
  if (!parsed.ok) {
    return invalid('bad-line-protocol', `line ${String(parsed.line)}: ${parsed.message}`);
  }
  const readings: TelemetryReading[] = [];
  for (const [index, line] of parsed.lines.entries()) {
    const result = fromLine(line, receivedMs);
    if (!Array.isArray(result)) {
      return invalid('bad-line-protocol', `point ${String(index + 1)}: ${result.message}`);
    }
    readings.push(...result);
  }
  return readings;
}

/**
 * Decides what one MQTT telemetry message is: a JSON envelope (or an array of them), when it
 * starts with `{` or `[`, or else InfluxDB line protocol. A message is taken whole or refused
 * whole, so a dead-lettered message can be fixed and replayed as it is. Every device must be
 * configured; a reading with an `interface` tag naming an interface that carries a customer
 * service is tagged with that service and customer.
 */
export function decodeTelemetry(
  payload: Buffer,
  receivedMs: number,
  inventory: Pick<Inventory, 'deviceByName' | 'serviceOn'>,
  maxPayloadBytes: number,
): TelemetryDecision {
  if (payload.length > maxPayloadBytes) {
    return invalid(
      'too-large',
      `${String(payload.length)} bytes, limit ${String(maxPayloadBytes)}`,
    );
  }
  const text = payload.toString('utf8');
  const start = text.trimStart().charAt(0);
  const decoded =
    start === '{' || start === '[' ? decodeJson(text, receivedMs) : decodeLines(text, receivedMs);
  if (!Array.isArray(decoded)) return decoded;
  const points: TelemetryPoint[] = [];
  for (const reading of decoded) {
    if (inventory.deviceByName(reading.device) === undefined) {
      return invalid('unknown-device', `device "${reading.device}" is not configured`);
    }
    const iface = reading.tags.interface;
    const service = iface === undefined ? undefined : inventory.serviceOn(reading.device, iface);
    points.push(
      service === undefined
        ? reading
        : { ...reading, service: service.serviceId, customer: service.customerId },
    );
  }
  return { kind: 'accepted', points };
}
