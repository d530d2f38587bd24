import { Type, type Static } from '@sinclair/typebox';
import { AlarmSchema } from './alarm.js';
import { IncidentSchema, IncidentStateSchema } from './incident.js';

const NullableString = Type.Union([Type.String(), Type.Null()]);
const strict = { additionalProperties: false } as const;

/** One alarm of an incident: a root (the fault itself) or a symptom it explains. */
export const IncidentAlarmSchema = Type.Object(
  { role: Type.Union([Type.Literal('root'), Type.Literal('symptom')]), alarm: AlarmSchema },
  strict,
);

/** One alarm of an incident. */
export type IncidentAlarm = Static<typeof IncidentAlarmSchema>;

/** A customer service the incident takes down, with the names the config gives it. */
export const ImpactedServiceViewSchema = Type.Object(
  {
    customerId: Type.String(),
    customerName: NullableString,
    serviceId: Type.String(),
    description: NullableString,
  },
  strict,
);

/** The incident's ticket, as the tickets worker keeps it. */
export const TicketViewSchema = Type.Object(
  {
    id: Type.String(),
    state: IncidentStateSchema,
    title: Type.String(),
    severity: Type.String(),
    assignee: NullableString,
    version: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    resolvedAt: NullableString,
  },
  strict,
);

/** One entry of a ticket's timeline, oldest first. */
export const TimelineEntrySchema = Type.Object(
  {
    at: Type.String({ format: 'date-time' }),
    kind: Type.String(),
    actor: Type.String(),
    body: Type.String(),
  },
  strict,
);

/** One entry of a ticket's timeline. */
export type TimelineEntry = Static<typeof TimelineEntrySchema>;

/** A customer service outage the incident caused: `[startedAt, endedAt)`, open while null. */
export const OutageViewSchema = Type.Object(
  {
    customerId: Type.String(),
    serviceId: Type.String(),
    rootCause: Type.String(),
    startedAt: Type.String({ format: 'date-time' }),
    endedAt: NullableString,
    inMaintenance: Type.Boolean(),
  },
  strict,
);

/**
 * Everything about one incident, for its page: the incident, its alarms (roots and symptoms with
 * `causedBy` and `explanation`), the services it takes down, its ticket with the timeline, and
 * the outages it caused. The ticket is null until the tickets worker has written it.
 */
export const IncidentDetailSchema = Type.Object(
  {
    incident: IncidentSchema,
    alarms: Type.Array(IncidentAlarmSchema),
    impactedServices: Type.Array(ImpactedServiceViewSchema),
    ticket: Type.Union([TicketViewSchema, Type.Null()]),
    timeline: Type.Array(TimelineEntrySchema),
    outages: Type.Array(OutageViewSchema),
  },
  strict,
);

/** Everything about one incident. */
export type IncidentDetail = Static<typeof IncidentDetailSchema>;
