import { Type, type Static } from '@sinclair/typebox';
import { SeveritySchema } from './severity.js';

/** Lifecycle state of an incident (and of its ticket). */
export const IncidentStateSchema = Type.Union([
  Type.Literal('open'),
  Type.Literal('acknowledged'),
  Type.Literal('resolved'),
]);

/** Lifecycle state of an incident. */
export type IncidentState = Static<typeof IncidentStateSchema>;

const NullableString = Type.Union([Type.String(), Type.Null()]);

/** A customer service an incident takes down. */
export const ImpactedServiceSchema = Type.Object(
  { customerId: Type.String(), serviceId: Type.String() },
  { additionalProperties: false },
);

/** A customer service an incident takes down. */
export type ImpactedService = Static<typeof ImpactedServiceSchema>;

/**
 * One incident: one real fault, named by its root cause. It groups the root alarm(s) and every
 * alarm the fault explains (symptoms), and names the customer services it takes down. It has one
 * ticket. Times are ISO 8601 strings in UTC.
 */
export const IncidentSchema = Type.Object(
  {
    id: Type.String(),
    state: IncidentStateSchema,
    /** Names the root cause, e.g. "core-1:xe-0/0/2 and core-2:xe-0/0/3 down: agg-2, access-3 cut off". */
    title: Type.String(),
    severity: SeveritySchema,
    /** The root alarm that names the incident. */
    primaryAlarmId: Type.String(),
    /** The alarms on the failed elements nearest the topology roots, oldest first. */
    rootAlarmIds: Type.Array(Type.String()),
    /** Every alarm that has belonged to the incident (roots and symptoms), cleared ones included. */
    alarmIds: Type.Array(Type.String()),
    /** Devices the fault cuts off from the topology roots now. */
    cutOffDevices: Type.Array(Type.String()),
    /** Customer services the fault takes down now. */
    impactedServices: Type.Array(ImpactedServiceSchema),
    ticketId: Type.String(),
    openedAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    resolvedAt: NullableString,
    /** Why it was resolved: "root cause cleared", "merged into inc-…", "resolved by alice". */
    resolution: NullableString,
    acknowledgedBy: NullableString,
    /** Who works on it, when someone was assigned. */
    assignee: NullableString,
    /** Every root alarm is inside a maintenance window: recorded, not ticketed nor pushed. */
    inMaintenance: Type.Boolean(),
    /** Ticketed and pushed (it was out of maintenance at some point): its resolve is pushed too. */
    announced: Type.Boolean(),
    /**
     * Present while the incident flaps: the raises of its root's reduction key within the flap
     * window. A flapping incident stays open until one whole window passes without a raise.
     */
    flapCount: Type.Optional(Type.Integer({ minimum: 2 })),
    /** Grows by one with every change; ticket updates carry it so replays never go backwards. */
    version: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);

/** One incident. */
export type Incident = Static<typeof IncidentSchema>;

/** What happened to an incident in one change. */
export const IncidentChangeKindSchema = Type.Union([
  Type.Literal('opened'),
  Type.Literal('updated'),
  Type.Literal('acknowledged'),
  Type.Literal('resolved'),
]);

/** What happened to an incident in one change. */
export type IncidentChangeKind = Static<typeof IncidentChangeKindSchema>;

/** A change to one incident, as published on the `incidents` channel. */
export const IncidentChangeSchema = Type.Object(
  {
    kind: IncidentChangeKindSchema,
    incident: IncidentSchema,
    /**
     * What changed, in words, for the timeline and the push: "severity major → critical",
     * "new symptom: agg-2 unreachable", "re-opened: …". Absent when the kind says it all.
     */
    reasons: Type.Optional(Type.Array(Type.String())),
    /**
     * Set when the change pages again although someone acknowledged the incident (it became
     * critical): the reason says why. An acknowledgement is never dropped silently.
     */
    repage: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** A change to one incident. */
export type IncidentChange = Static<typeof IncidentChangeSchema>;

/**
 * An incident's timeline gained entries written after the incident change that caused them (the
 * tickets worker's entry, the paging records): published on the `timelines` channel and pushed
 * to dashboards as `incidents:timeline`, so an open incident page reads its detail again.
 */
export const TimelineGrewSchema = Type.Object(
  { incidentId: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

/** An incident whose timeline grew. */
export type TimelineGrew = Static<typeof TimelineGrewSchema>;
