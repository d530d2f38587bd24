import { Type, type Static } from '@sinclair/typebox';
import { SeveritySchema, severityRank, type Severity } from './severity.js';

/** The status of a node or link on the topology map: the worst open alarm on it, or `ok`. */
export const ElementStatusSchema = Type.Union([SeveritySchema, Type.Literal('ok')]);

/** The status of a node or link on the topology map. */
export type ElementStatus = Static<typeof ElementStatusSchema>;

const LinkEndViewSchema = Type.Object(
  { device: Type.String(), interface: Type.String() },
  { additionalProperties: false },
);

/**
 * The network as a map: devices (nodes) and links, each with the status of its open alarms. A
 * link's status is the worst open alarm on either of its two interfaces.
 */
export const TopologyViewSchema = Type.Object(
  {
    nodes: Type.Array(
      Type.Object(
        {
          name: Type.String(),
          kind: Type.Union([Type.String(), Type.Null()]),
          site: Type.Union([Type.String(), Type.Null()]),
          status: ElementStatusSchema,
          openAlarms: Type.Integer({ minimum: 0 }),
          /**
           * The NOC cannot reach the device: an open incident lists it as cut off, or it has an
           * open device-down alarm. Its own alarms say nothing then, so it is never shown as OK.
           */
          unreachable: Type.Boolean(),
        },
        { additionalProperties: false },
      ),
    ),
    links: Type.Array(
      Type.Object(
        { a: LinkEndViewSchema, b: LinkEndViewSchema, status: ElementStatusSchema },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** The network as a map with live statuses. */
export type TopologyView = Static<typeof TopologyViewSchema>;

/** What `topologyView` needs of the config: devices and links, without credentials. */
export interface TopologyShape {
  readonly devices: readonly {
    readonly name: string;
    readonly kind?: string | null | undefined;
    readonly site?: string | null | undefined;
  }[];
  readonly links: readonly {
    readonly a: { readonly device: string; readonly interface: string };
    readonly b: { readonly device: string; readonly interface: string };
  }[];
}

/** What `topologyView` needs of an alarm; `type` tells a device-down alarm. */
export interface AlarmOnMap {
  readonly device: string;
  readonly component: string | null;
  readonly severity: Severity;
  readonly state: string;
  readonly type?: string | undefined;
}

/** Alarm types that mean "this device is down or cannot be reached", for the correlator and the map alike. */
export const DEVICE_DOWN_ALARM_TYPES: ReadonlySet<string> = new Set([
  'deviceDown',
  'nodeDown',
  'unreachable',
]);

/** What `topologyView` needs of an incident: its state and the devices it cuts off. */
export interface IncidentOnMap {
  readonly state: string;
  readonly cutOffDevices: readonly string[];
}

function worse(status: ElementStatus, severity: Severity): ElementStatus {
  if (severity === 'cleared' || severity === 'normal') return status;
  if (status === 'ok') return severity;
  return severityRank(severity) > severityRank(status) ? severity : status;
}

/**
 * Colours the map: each device takes the worst severity of its open alarms, each link the worst
 * of the open alarms on its two interfaces (an alarm's component is the interface name). Cleared
 * alarms and `normal` or `cleared` severities leave an element `ok`. A device is `unreachable`
 * when an unresolved incident lists it in `cutOffDevices` or it has an open device-down alarm.
 * Pure: the api answers `GET /api/topology` with it and the dashboard recomputes it from live
 * alarms and incidents.
 */
export function topologyView(
  shape: TopologyShape,
  alarms: Iterable<AlarmOnMap>,
  incidents: Iterable<IncidentOnMap> = [],
): TopologyView {
  const byDevice = new Map<string, { status: ElementStatus; count: number }>();
  const byInterface = new Map<string, ElementStatus>();
  const unreachable = new Set<string>();
  for (const incident of incidents) {
    if (incident.state === 'resolved') continue;
    for (const device of incident.cutOffDevices) unreachable.add(device);
  }
  for (const alarm of alarms) {
    if (alarm.state === 'cleared') continue;
    if (alarm.type !== undefined && DEVICE_DOWN_ALARM_TYPES.has(alarm.type)) {
      unreachable.add(alarm.device);
    }
    const device = byDevice.get(alarm.device) ?? { status: 'ok' as ElementStatus, count: 0 };
    byDevice.set(alarm.device, {
      status: worse(device.status, alarm.severity),
      count: device.count + 1,
    });
    if (alarm.component !== null) {
      const key = `${alarm.device}\u0000${alarm.component}`;
      byInterface.set(key, worse(byInterface.get(key) ?? 'ok', alarm.severity));
    }
  }
  const endStatus = (end: { device: string; interface: string }): ElementStatus =>
    byInterface.get(`${end.device}\u0000${end.interface}`) ?? 'ok';
  return {
    nodes: shape.devices.map((device) => ({
      name: device.name,
      kind: device.kind ?? null,
      site: device.site ?? null,
      status: byDevice.get(device.name)?.status ?? 'ok',
      openAlarms: byDevice.get(device.name)?.count ?? 0,
      unreachable: unreachable.has(device.name),
    })),
    links: shape.links.map((link) => {
      const status = [endStatus(link.a), endStatus(link.b)].reduce<ElementStatus>(
        (acc, end) => (end === 'ok' ? acc : worse(acc, end)),
        'ok',
      );
      return {
        a: { device: link.a.device, interface: link.a.interface },
        b: { device: link.b.device, interface: link.b.interface },
        status,
      };
    }),
  };
}
