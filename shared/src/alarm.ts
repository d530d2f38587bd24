import { Type, type Static } from '@sinclair/typebox';
import { EventSourceSchema } from './event.js';
import { SeveritySchema } from './severity.js';

/** Lifecycle state of an alarm. */
export const AlarmStateSchema = Type.Union([
  Type.Literal('active'),
  Type.Literal('acknowledged'),
  Type.Literal('cleared'),
]);

/** Lifecycle state of an alarm. */
export type AlarmState = Static<typeof AlarmStateSchema>;

const NullableString = Type.Union([Type.String(), Type.Null()]);

/**
 * One alarm: the single record of one problem (one reduction key) from its first event until it
 * is cleared. A problem that returns after a clear is a new alarm with a new id. Times are ISO 8601
 * strings in UTC.
 */
export const AlarmSchema = Type.Object(
  {
    id: Type.String(),
    reductionKey: Type.String(),
    device: Type.String(),
    deviceKnown: Type.Boolean(),
    component: NullableString,
    type: Type.String(),
    source: EventSourceSchema,
    severity: SeveritySchema,
    state: AlarmStateSchema,
    /** How many distinct events this alarm has absorbed. */
    count: Type.Integer({ minimum: 1 }),
    firstSeen: Type.String({ format: 'date-time' }),
    lastSeen: Type.String({ format: 'date-time' }),
    clearedAt: NullableString,
    description: Type.String(),
    lastEventId: Type.String(),
    /** The root alarm this one is a symptom of, with a human explanation of why. */
    causedBy: NullableString,
    explanation: NullableString,
    ticketId: NullableString,
    acknowledgedBy: NullableString,
    /**
     * Present while its reduction key flaps: the raises of the key within the flap window
     * (`correlation.flapWindowS`), this one included. Flaps shorter than the hold window count too.
     */
    flapCount: Type.Optional(Type.Integer({ minimum: 2 })),
  },
  { additionalProperties: false },
);

/** One alarm. */
export type Alarm = Static<typeof AlarmSchema>;

/** What happened to an alarm in one change. */
export const AlarmChangeKindSchema = Type.Union([
  Type.Literal('raised'),
  Type.Literal('repeated'),
  Type.Literal('escalated'),
  Type.Literal('cleared'),
  Type.Literal('acknowledged'),
]);

/** What happened to an alarm in one change. */
export type AlarmChangeKind = Static<typeof AlarmChangeKindSchema>;

/** A change to one alarm, as published on the alarm channel and pushed to dashboards. */
export const AlarmChangeSchema = Type.Object(
  { kind: AlarmChangeKindSchema, alarm: AlarmSchema },
  { additionalProperties: false },
);

/** A change to one alarm. */
export type AlarmChange = Static<typeof AlarmChangeSchema>;
