/**
 * What the care desk (customer-facing staff) and a customer's status page read: one customer's
 * services, their live state and cost, the incidents affecting them and the credits of the last
 * closed periods. Nothing about other customers, and no network internals beyond the incidents
 * that affect the customer's own services (see docs/api.md, "Care desk and status links").
 */
import { Type, type Static } from '@sinclair/typebox';
import { LiveSlaCostSchema } from './billing.js';
import { IncidentStateSchema } from './incident.js';

const strict = { additionalProperties: false } as const;
const NullableString = Type.Union([Type.String(), Type.Null()]);
const Time = Type.String({ format: 'date-time' });

/**
 * The live state of a customer service: `down` (an outage counted against the SLA is open),
 * `maintenance` (only outages inside a maintenance window are open), `degraded` (an unresolved
 * incident impacts it but no outage is open) or `up`.
 */
export const ServiceStateSchema = Type.Union([
  Type.Literal('up'),
  Type.Literal('down'),
  Type.Literal('degraded'),
  Type.Literal('maintenance'),
]);

/** The live state of a customer service. */
export type ServiceState = Static<typeof ServiceStateSchema>;

/** One service as the care desk and the status page show it. */
export const CareServiceSchema = Type.Object(
  {
    serviceId: Type.String(),
    description: NullableString,
    state: ServiceStateSchema,
    /** Downtime so far this period counted against the SLA, minutes (null: no live view yet). */
    downtimeMinutes: Type.Union([Type.Number(), Type.Null()]),
    /** Availability so far this period, percent (null: no live view yet). */
    availabilityPercent: NullableString,
    /** Minutes before the next credit tier (null: no SLA, none left, or no live view yet). */
    slaBudgetMinutes: Type.Union([Type.Number(), Type.Null()]),
    /** The SLA's availability, tier and credit so far (null: no SLA or no live view yet). */
    sla: Type.Union([LiveSlaCostSchema, Type.Null()]),
  },
  strict,
);

/** One service as the care desk and the status page show it. */
export type CareService = Static<typeof CareServiceSchema>;

/** One note of an incident's timeline, as care staff or the customer read it. */
export const CareNoteSchema = Type.Object(
  { at: Time, kind: Type.String(), text: Type.String() },
  strict,
);

/** One note of an incident's timeline. */
export type CareNote = Static<typeof CareNoteSchema>;

/** An incident affecting the customer, with the customer's services it impacts. */
export const CareIncidentSchema = Type.Object(
  {
    id: Type.String(),
    /** The incident's title (the care desk); the status page shows none. */
    title: NullableString,
    severity: Type.String(),
    state: IncidentStateSchema,
    openedAt: Time,
    resolvedAt: NullableString,
    /** The customer's services it impacts (never another customer's). */
    serviceIds: Type.Array(Type.String()),
    notes: Type.Array(CareNoteSchema),
  },
  strict,
);

/** An incident affecting the customer. */
export type CareIncident = Static<typeof CareIncidentSchema>;

/** The SLA credits of one closed period, from its latest billing run. */
export const CarePeriodCreditsSchema = Type.Object(
  {
    period: Type.String(),
    runId: Type.String(),
    currency: Type.String(),
    credits: Type.Array(
      Type.Object(
        {
          serviceId: Type.String(),
          /** Decimal in the currency's minor digits, negative (a credit). */
          amount: Type.String(),
          description: Type.String(),
        },
        strict,
      ),
    ),
  },
  strict,
);

/** The SLA credits of one closed period. */
export type CarePeriodCredits = Static<typeof CarePeriodCreditsSchema>;

/** Everything the care desk shows of one customer (`GET /api/care/customers/:id`). */
export const CustomerCareSchema = Type.Object(
  {
    customerId: Type.String(),
    name: Type.String(),
    currency: Type.String(),
    /** The open period of the live figures (null: no live view yet). */
    period: NullableString,
    services: Type.Array(CareServiceSchema),
    incidents: Type.Array(CareIncidentSchema),
    /** The last closed periods with a billing run, newest first. */
    closedPeriods: Type.Array(CarePeriodCreditsSchema),
  },
  strict,
);

/** Everything the care desk shows of one customer. */
export type CustomerCare = Static<typeof CustomerCareSchema>;

/** A customer's status page (`GET /api/status` with the link's token). */
export const StatusPageSchema = Type.Object(
  {
    name: Type.String(),
    period: NullableString,
    /** Per service: state and this period's availability (percent, null before a live view). */
    services: Type.Array(
      Type.Object(
        {
          serviceId: Type.String(),
          description: NullableString,
          state: ServiceStateSchema,
          availabilityPercent: NullableString,
        },
        strict,
      ),
    ),
    /** Unresolved incidents, with their public notes only. */
    incidents: Type.Array(CareIncidentSchema),
  },
  strict,
);

/** A customer's status page. */
export type StatusPage = Static<typeof StatusPageSchema>;

/** A status link as listed (its token is shown once, when it is made, and never stored). */
export const StatusLinkSchema = Type.Object(
  {
    id: Type.String(),
    customerId: Type.String(),
    label: Type.String(),
    createdBy: Type.String(),
    createdAt: Time,
    revokedAt: NullableString,
    revokedBy: NullableString,
  },
  strict,
);

/** A status link as listed. */
export type StatusLink = Static<typeof StatusLinkSchema>;
