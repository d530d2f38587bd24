import { Type, type Static } from '@sinclair/typebox';
import { SeveritySchema } from './severity.js';

/** Where an event came from. */
export const EventSourceSchema = Type.Union([
  Type.Literal('trap'),
  Type.Literal('poll'),
  Type.Literal('telemetry'),
  Type.Literal('threshold'),
  Type.Literal('system'),
]);

/** Where an event came from. */
export type EventSource = Static<typeof EventSourceSchema>;

/**
 * A normalized event: what the collector sends the correlator on the `events` queue.
 *
 * `reductionKey` decides "same problem" (two events with one key are one alarm); `clearKey`, when
 * present, names the reduction key of the problem this event ends. `id` is unique per event and
 * stable across retries, so a redelivered event is counted once.
 */
export const EventSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 200 }),
    source: EventSourceSchema,
    /** The configured device name, or the source address when the device is not in the config. */
    device: Type.String({ minLength: 1, maxLength: 200 }),
    /** False when the sender is not in the inventory. */
    deviceKnown: Type.Boolean(),
    /** The affected part of the device (an interface name, a sensor), when there is one. */
    component: Type.Optional(Type.String({ maxLength: 200 })),
    type: Type.String({ minLength: 1, maxLength: 200 }),
    severity: SeveritySchema,
    /** When the event happened (or was received), epoch milliseconds. */
    timeMs: Type.Integer({ minimum: 0 }),
    reductionKey: Type.String({ minLength: 1, maxLength: 500 }),
    clearKey: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    description: Type.String({ maxLength: 2000 }),
    /** Raw evidence: varbinds, telemetry payload, poll values. */
    details: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);

/** A normalized event. */
export type FaultEvent = Static<typeof EventSchema>;

/** Payload of one job on the `events` queue: events micro-batched by the collector. */
export const EventBatchSchema = Type.Object(
  { events: Type.Array(EventSchema, { maxItems: 10_000 }) },
  { additionalProperties: false },
);

/** Payload of one job on the `events` queue. */
export type EventBatch = Static<typeof EventBatchSchema>;

/**
 * The `details` key under which a clearing event may say why it clears, in words an engineer
 * reads (`verified up by poll; state unknown between … and …`). The correlator writes it into
 * the cleared alarm's history, so the reason of a clear that no device reported stays visible.
 */
export const CLEAR_REASON_DETAIL = 'clearReason';

/** The reason a clearing event gives for its clear (`details.clearReason`), when it is a text. */
export function clearReasonOf(event: Pick<FaultEvent, 'details'>): string | undefined {
  const reason = event.details[CLEAR_REASON_DETAIL];
  return typeof reason === 'string' && reason !== '' ? reason : undefined;
}
