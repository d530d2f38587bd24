import { Type, type Static } from '@sinclair/typebox';
import { AlarmSchema } from './alarm.js';
import { IncidentSchema } from './incident.js';

const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableNumber = Type.Union([Type.Number(), Type.Null()]);

/** A customer service with the names people know it by, and the interface that carries it. */
export const ServiceNameSchema = Type.Object(
  {
    customerId: Type.String(),
    customerName: Type.String(),
    serviceId: Type.String(),
    /** The service's description ("Office internet"), when the config gives one. */
    description: NullableString,
    device: Type.String(),
    interface: Type.String(),
  },
  { additionalProperties: false },
);

/** A customer service with its names. */
export type ServiceName = Static<typeof ServiceNameSchema>;

/** The IF-MIB ifOperStatus values by name, index = the number minus one. */
export const OPER_STATUSES = [
  'up',
  'down',
  'testing',
  'unknown',
  'dormant',
  'notPresent',
  'lowerLayerDown',
] as const;

/** An interface's operational status as the last poll read it. */
export type OperStatus = (typeof OPER_STATUSES)[number];

/** The name of an ifOperStatus number; null for a number IF-MIB does not define. */
export function operStatusName(value: number): OperStatus | null {
  return OPER_STATUSES[value - 1] ?? null;
}

/**
 * Errored and discarded packets per second, means of the last five minutes' rates (IF-MIB
 * ifIn/OutErrors and ifIn/OutDiscards); null without a rate. Packets in total are not polled, so
 * these are rates, not shares.
 */
export const ErrorRatesSchema = Type.Object(
  {
    inErrorsPs: NullableNumber,
    outErrorsPs: NullableNumber,
    inDiscardsPs: NullableNumber,
    outDiscardsPs: NullableNumber,
  },
  { additionalProperties: false },
);

/** An interface's error and discard rates, packets per second (null without a rate). */
export type ErrorRates = Static<typeof ErrorRatesSchema>;

/** One interface of a device as its page shows it: inventory, last poll, services it carries. */
export const InterfaceStatusSchema = Type.Object(
  {
    ifIndex: Type.Integer(),
    name: Type.String(),
    description: NullableString,
    speedMbps: Type.Number(),
    /** From the last poll of the last day; null when none read it. */
    operStatus: Type.Union([...OPER_STATUSES.map((s) => Type.Literal(s)), Type.Null()]),
    /** Mean traffic of the last five minutes, bits per second; null without a rate. */
    inBps: NullableNumber,
    outBps: NullableNumber,
    /** The larger direction in % of `speedMbps`; null without a rate. */
    utilizationPercent: NullableNumber,
    ...ErrorRatesSchema.properties,
    /** When a poll last wrote this interface (within the last day), ISO; null if none did. */
    lastPolledAt: NullableString,
    services: Type.Array(ServiceNameSchema),
  },
  { additionalProperties: false },
);

/** One interface of a device with its last poll. */
export type InterfaceStatus = Static<typeof InterfaceStatusSchema>;

/** A device's page: inventory, interfaces with status and traffic, open alarms, incidents. */
export const DeviceDetailSchema = Type.Object(
  {
    device: Type.Object(
      {
        name: Type.String(),
        address: Type.String(),
        kind: NullableString,
        site: NullableString,
      },
      { additionalProperties: false },
    ),
    interfaces: Type.Array(InterfaceStatusSchema),
    /** Its open (active or acknowledged) alarms, newest first. */
    alarms: Type.Array(AlarmSchema),
    /** Unresolved incidents with an alarm on it, or that cut it off. */
    incidents: Type.Array(IncidentSchema),
  },
  { additionalProperties: false },
);

/** A device's page. */
export type DeviceDetail = Static<typeof DeviceDetailSchema>;

/** The time ranges an interface's traffic graph shows. */
export const TRAFFIC_RANGES = ['hour', 'day', 'week', 'month'] as const;

/** A time range of a traffic graph. */
export type TrafficRange = (typeof TRAFFIC_RANGES)[number];

/** The 95th percentile of a service billed on an interface, over the graph's range. */
export const ServicePercentileSchema = Type.Object(
  {
    serviceId: Type.String(),
    customerName: Type.String(),
    description: NullableString,
    /** The plan's billed direction: `in`, `out`, `max` (the larger 95th) or `sum`. */
    direction: Type.String(),
    /** The plan's committed rate, Mbps. */
    commitMbps: Type.Number(),
    /** Null when the range has no 5-minute rate. */
    percentileBps: NullableNumber,
    /** The 5-minute buckets with a rate it was taken from. */
    sampleCount: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

/** Traffic of one interface over a range, as columns (one entry per step) for a chart. */
export const InterfaceTrafficSchema = Type.Object(
  {
    device: Type.String(),
    interface: Type.String(),
    ifIndex: Type.Integer(),
    speedMbps: Type.Number(),
    range: Type.Union(TRAFFIC_RANGES.map((r) => Type.Literal(r))),
    /** The range, half-open, epoch ms. */
    fromMs: Type.Number(),
    toMs: Type.Number(),
    /** The width of one step (a mean of the polled rates), ms. */
    stepMs: Type.Number(),
    /** Step starts, epoch ms, ascending. */
    timeMs: Type.Array(Type.Number()),
    /** Mean rate in each step, bits per second; null where no poll gave a rate. */
    inBps: Type.Array(NullableNumber),
    outBps: Type.Array(NullableNumber),
    /** One per service billed by the 95th percentile on this interface (plan in force at `toMs`). */
    percentiles: Type.Array(ServicePercentileSchema),
  },
  { additionalProperties: false },
);

/** Traffic of one interface over a range. */
export type InterfaceTraffic = Static<typeof InterfaceTrafficSchema>;

/** One interface in the health summary: its recent traffic against its speed. */
export const BusyInterfaceSchema = Type.Object(
  {
    device: Type.String(),
    ifIndex: Type.Integer(),
    interface: Type.String(),
    description: NullableString,
    speedMbps: Type.Number(),
    inBps: NullableNumber,
    outBps: NullableNumber,
    utilizationPercent: Type.Number(),
  },
  { additionalProperties: false },
);

/** An interface with its recent utilization. */
export type BusyInterface = Static<typeof BusyInterfaceSchema>;

/** One interface in the health summary that errored or discarded packets recently. */
export const ErroredInterfaceSchema = Type.Object(
  {
    device: Type.String(),
    ifIndex: Type.Integer(),
    interface: Type.String(),
    description: NullableString,
    ...ErrorRatesSchema.properties,
    /** Errors and discards per second, both directions together: what the list is ordered by. */
    errorsAndDiscardsPs: Type.Number(),
  },
  { additionalProperties: false },
);

/** An interface with its recent error and discard rates. */
export type ErroredInterface = Static<typeof ErroredInterfaceSchema>;

/** How the network is doing, from the polled data: for the wall, at a glance. */
export const NetworkHealthSchema = Type.Object(
  {
    /** The window the rates are means over, ms (the last five minutes). */
    windowMs: Type.Number(),
    /** Interfaces by utilization, busiest first (at most five). */
    busiest: Type.Array(BusyInterfaceSchema),
    /**
     * Interfaces with errors or discards in the window, the most per second first (at most
     * five); none without any.
     */
    errored: Type.Array(ErroredInterfaceSchema),
    /**
     * Interfaces polled in the window, of those configured, and those whose last status was not
     * `up`: an interface not polled may be down unseen.
     */
    interfacesPolled: Type.Integer({ minimum: 0 }),
    interfacesConfigured: Type.Integer({ minimum: 0 }),
    interfacesDown: Type.Array(
      Type.Object(
        { device: Type.String(), interface: Type.String(), operStatus: Type.String() },
        { additionalProperties: false },
      ),
    ),
    /** Devices the NOC cannot reach (cut off by an incident, or with a device-down alarm). */
    unreachable: Type.Array(Type.String()),
    /** Devices with no poll written for three of their poll intervals (at least five minutes). */
    silent: Type.Array(Type.String()),
    devices: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

/** How the network is doing. */
export type NetworkHealth = Static<typeof NetworkHealthSchema>;
