/**
 * A few past incidents of the configured network, for the demo's history: the records the
 * correlator would have left in PostgreSQL had the network lived through them (alarms with their
 * root-cause annotations and history, the incident, its ticket and timeline, the customer
 * outages), so that billing has SLA credits with evidence on a fresh machine.
 *
 * The faults are chosen from the config's topology, so any network gets a plausible set:
 * - a **fibre cut**: every link from the topology roots to one device, cutting off that device and
 *   what hangs behind it (the smallest such cut that takes down a customer service);
 * - a **power loss**: the device that carries the most customer services goes dark for 38
 *   minutes (its upstream port reports linkDown, the device stops answering polls);
 * - **maintenance**: another customer device rebooted for an upgrade inside a maintenance window
 *   (recorded, never ticketed, its outages excluded from the SLA);
 * - a **flapping** customer port, in the current period (so the live SLA budget shows it).
 *
 * Names, titles and explanations follow the correlator's conventions (docs/correlator.md). Times
 * derive from the caller's instants only, so the same inputs give the same records, ids included.
 */
import type { Alarm, Config, ImpactedService, Incident, Severity } from '@faultline/shared';
import { fnv1a32 } from './hash.js';
import { reachableDevices } from './reachability.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** A device end of a link. */
interface Port {
  readonly device: string;
  readonly interface: string;
}

/** One change in an alarm's history (`alarm_history`). */
export interface PastAlarmChange {
  readonly atMs: number;
  readonly change: 'raised' | 'repeated' | 'cleared';
  readonly severity: Severity;
  readonly cause: string;
}

/** An alarm as stored at the end of its life (cleared), with when the correlator saw it. */
export interface PastAlarm {
  readonly alarm: Alarm;
  readonly raisedAtMs: number;
  readonly incidentId: string;
  /** The maintenance window it fell in, if any. */
  readonly maintenance: string | null;
  readonly history: readonly PastAlarmChange[];
}

/** One entry of a ticket's timeline (`ticket_events`). */
export interface PastTicketEvent {
  readonly dedupKey: string;
  readonly atMs: number;
  readonly kind: string;
  readonly actor: string;
  readonly body: string;
}

/** A customer service outage (`outages`). */
export interface PastOutage extends ImpactedService {
  readonly startMs: number;
  readonly endMs: number;
  readonly inMaintenance: boolean;
}

/** One past incident with everything it left behind. */
export interface PastIncident {
  /** What it plays: `fibre-cut`, `power-loss`, `maintenance`, `flapping-port`. */
  readonly scenario: string;
  readonly incident: Incident;
  readonly alarms: readonly PastAlarm[];
  /** Null for an incident never announced (resolved inside maintenance): it has no ticket. */
  readonly ticketEvents: readonly PastTicketEvent[] | null;
  readonly outages: readonly PastOutage[];
}

/** Where the incidents go. */
export interface PastIncidentsOptions {
  /** The history ends before this instant (usually now). */
  readonly endMs: number;
  /** How far back it may go (default 31 days). */
  readonly days?: number;
  /**
   * The start of a customer's current billing period: incidents meant for the last closed period
   * are laid out before it, so that the first billing run credits them. Default: `endMs`.
   */
  readonly periodStartOf?: (customerId: string) => number;
}

type NetworkConfig = Pick<Config, 'devices' | 'links' | 'topology' | 'customers'>;

/** `a`, `a and b`, `a, b and c`: how the correlator lists names. */
function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
}

function endName(port: Port): string {
  return `${port.device}:${port.interface}`;
}

/** A UUID-shaped id fixed by `text`. */
function uuidFrom(text: string): string {
  const hex = [0, 1, 2, 3]
    .map((salt) =>
      fnv1a32(`${String(salt)}|${text}`)
        .toString(16)
        .padStart(8, '0'),
    )
    .join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function ifIndexOf(config: NetworkConfig, port: Port): number {
  const device = config.devices.find((d) => d.name === port.device);
  return device?.interfaces.find((i) => i.name === port.interface)?.ifIndex ?? 0;
}

/** The links of a device, as [near, far] ports: near is the other device's end, far its own. */
function linksOf(config: NetworkConfig, device: string): [Port, Port][] {
  return config.links.flatMap((link): [Port, Port][] => {
    if (link.a.device === device) return [[link.b, link.a]];
    if (link.b.device === device) return [[link.a, link.b]];
    return [];
  });
}

/** Devices cut off from the roots with these ports down and these devices dark, sorted. */
function cutOffBy(
  config: NetworkConfig,
  downPorts: readonly Port[],
  dark: readonly string[] = [],
): string[] {
  const down = new Set(downPorts.map(endName));
  const reached = reachableDevices(
    config,
    (device, ifName) => !down.has(`${device}:${ifName}`),
    new Set(dark),
  );
  return config.devices
    .map((d) => d.name)
    .filter((name) => !reached.has(name))
    .sort();
}

function servicesOn(config: NetworkConfig, devices: readonly string[]): ImpactedService[] {
  return config.customers.flatMap((customer) =>
    customer.services
      .filter((service) => devices.includes(service.device))
      .map((service) => ({ customerId: customer.id, serviceId: service.id })),
  );
}

/** What one fault looks like, before its times are fixed. */
interface FaultShape {
  readonly scenario: string;
  /** Ports whose linkDown are the roots (the NOC side of each failed element). */
  readonly rootPorts: readonly Port[];
  /** Devices the fault cuts off. */
  readonly cutOff: readonly string[];
  readonly services: readonly ImpactedService[];
  readonly durationMs: number;
  /** How long before the customers' period boundary it starts. */
  readonly beforeBoundaryMs: number;
  /** Laid out in the last closed period (else in the current one, before `endMs`). */
  readonly closedPeriod: boolean;
  readonly maintenance: string | null;
  /** Times the root port went down within the incident (a flap), 1 for a plain fault. */
  readonly flaps: number;
  readonly comment: string | null;
}

function fibreCut(config: NetworkConfig): FaultShape | undefined {
  const roots = new Set(config.topology?.roots ?? []);
  const candidates = config.devices
    .filter((device) => !roots.has(device.name))
    .map((device) => {
      const rootPorts = linksOf(config, device.name)
        .filter(([near]) => roots.has(near.device))
        .map(([near]) => near);
      const cutOff = cutOffBy(config, rootPorts);
      return { rootPorts, cutOff, services: servicesOn(config, cutOff) };
    })
    .filter((c) => c.rootPorts.length > 0 && c.services.length > 0)
    .sort((a, b) => a.services.length - b.services.length || a.cutOff.length - b.cutOff.length);
  const chosen = candidates[0];
  if (chosen === undefined) return undefined;
  return {
    scenario: 'fibre-cut',
    ...chosen,
    durationMs: 4 * HOUR_MS + 23 * MINUTE_MS,
    beforeBoundaryMs: 9 * DAY_MS + 13 * HOUR_MS,
    closedPeriod: true,
    maintenance: null,
    flaps: 1,
    comment: 'Civil works cut both fibres in the same duct; splicing crew dispatched.',
  };
}

/** A device that carries customer services going dark: its upstream ports report linkDown. */
function deviceDark(
  config: NetworkConfig,
  device: string,
  shape: Omit<FaultShape, 'rootPorts' | 'cutOff' | 'services'>,
): FaultShape {
  const rootPorts = linksOf(config, device).map(([near]) => near);
  const cutOff = cutOffBy(config, [], [device]);
  return { ...shape, rootPorts, cutOff, services: servicesOn(config, cutOff) };
}

/** Customer devices, most services first. */
function customerDevices(config: NetworkConfig): string[] {
  const counts = new Map<string, number>();
  for (const customer of config.customers)
    for (const service of customer.services)
      counts.set(service.device, (counts.get(service.device) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([device]) => device);
}

/** The faults of the history, before their times are fixed. */
function faultShapes(config: NetworkConfig): FaultShape[] {
  const shapes: FaultShape[] = [];
  const cut = fibreCut(config);
  if (cut !== undefined) shapes.push(cut);
  const devices = customerDevices(config).filter(
    (device) => linksOf(config, device).length > 0 && !(cut?.cutOff.includes(device) ?? false),
  );
  const [busiest, other] = devices;
  if (busiest !== undefined) {
    shapes.push(
      deviceDark(config, busiest, {
        scenario: 'power-loss',
        durationMs: 38 * MINUTE_MS + 20_000,
        beforeBoundaryMs: 4 * DAY_MS + 7 * HOUR_MS,
        closedPeriod: true,
        maintenance: null,
        flaps: 1,
        comment: `Power supply of ${busiest} replaced on site; the device booted cleanly.`,
      }),
    );
  }
  if (other !== undefined) {
    shapes.push(
      deviceDark(config, other, {
        scenario: 'maintenance',
        durationMs: 24 * MINUTE_MS,
        beforeBoundaryMs: 6 * DAY_MS + 22 * HOUR_MS,
        closedPeriod: true,
        maintenance: `${other}-upgrade`,
        flaps: 1,
        comment: null,
      }),
    );
  }
  // A customer port of the busiest device, flapping for a quarter of an hour.
  const customer = config.customers.find((c) => c.services.some((s) => s.device === busiest));
  const service = customer?.services.find((s) => s.device === busiest);
  if (customer !== undefined && service !== undefined) {
    shapes.push({
      scenario: 'flapping-port',
      rootPorts: [{ device: service.device, interface: service.interface }],
      cutOff: [],
      services: [{ customerId: customer.id, serviceId: service.id }],
      durationMs: 14 * MINUTE_MS + 30_000,
      beforeBoundaryMs: 2 * DAY_MS + 5 * HOUR_MS,
      closedPeriod: false,
      maintenance: null,
      flaps: 5,
      comment: 'Customer reseated the patch lead at their end.',
    });
  }
  return shapes;
}

/** Builds the records of one fault starting at `startMs`. */
function buildIncident(config: NetworkConfig, shape: FaultShape, startMs: number): PastIncident {
  const endMs = startMs + shape.durationMs;
  const seed = `${shape.scenario}@${String(startMs)}`;
  const alarms: PastAlarm[] = [];
  const linkAlarm = (
    port: Port,
    downMs: number,
    upMs: number,
    n: number,
    explanation: string | null,
  ): Alarm => {
    const ifIndex = ifIndexOf(config, port);
    return {
      id: uuidFrom(`${seed}|linkDown|${endName(port)}|${String(n)}`),
      reductionKey: `linkDown:${port.device}:ifIndex=${String(ifIndex)}`,
      device: port.device,
      deviceKnown: true,
      component: port.interface,
      type: 'linkDown',
      source: 'trap',
      severity: 'major',
      state: 'cleared',
      count: 1,
      firstSeen: iso(downMs),
      lastSeen: iso(downMs),
      clearedAt: iso(upMs),
      description: `Link down on ${port.device} ifIndex ${String(ifIndex)}`,
      lastEventId: uuidFrom(`${seed}|event|${endName(port)}|${String(n)}`),
      causedBy: null,
      explanation,
      ticketId: null,
      acknowledgedBy: null,
    };
  };
  // Roots, oldest first: a second cut follows the first by seconds.
  const roots: Alarm[] = [];
  shape.rootPorts.forEach((port, index) => {
    const flapMs = Math.floor(shape.durationMs / shape.flaps);
    for (let n = 0; n < shape.flaps; n++) {
      const downMs = startMs + index * 2_000 + n * flapMs;
      const upMs = n === shape.flaps - 1 ? endMs : downMs + Math.floor(flapMs / 2);
      roots.push(linkAlarm(port, downMs, upMs, n, null));
    }
  });
  const primary = roots[0];
  if (primary === undefined) throw new Error(`fault ${shape.scenario} has no root port`);
  const incidentId = `inc-${primary.id}`;
  const ticketId = `tkt-${primary.id}`;
  const rootNames = shape.rootPorts.map(endName);
  const symptoms: Alarm[] = shape.cutOff.map((device) => {
    const uplinks = linksOf(config, device)
      .map(([near]) => endName(near))
      .filter((name) => rootNames.includes(name));
    const gateways = shape.cutOff.filter((d) =>
      linksOf(config, d).some(([near]) => rootNames.includes(endName(near))),
    );
    const explanation =
      uplinks.length > 0
        ? `${device} unreachable: its ${uplinks.length === rootNames.length ? 'only ' : ''}${uplinks.length === 1 ? 'uplink' : 'uplinks'}, ${listNames(uplinks)}, ${uplinks.length === 1 ? 'is' : 'are'} down`
        : `${device} unreachable: cut off behind ${listNames(gateways)}, whose uplinks ${listNames(rootNames)} are down`;
    // Polls notice after three timeouts of a 30 s interval.
    const downMs = startMs + 95_000;
    return {
      id: uuidFrom(`${seed}|deviceDown|${device}`),
      reductionKey: `deviceDown:${device}`,
      device,
      deviceKnown: true,
      component: null,
      type: 'deviceDown',
      source: 'poll',
      severity: 'critical',
      state: 'cleared',
      count: 1,
      firstSeen: iso(downMs),
      lastSeen: iso(downMs),
      clearedAt: iso(endMs + 40_000),
      description: `${device} does not answer SNMP polls (3 in a row)`,
      lastEventId: uuidFrom(`${seed}|event|${device}`),
      causedBy: primary.id,
      explanation,
      ticketId: null,
      acknowledgedBy: null,
    };
  });
  const announced = shape.maintenance === null;
  const engineer = 'oncall-engineer';
  const ackMs = startMs + 6 * MINUTE_MS + 12_000;
  for (const alarm of [...roots, ...symptoms]) {
    const firstMs = Date.parse(alarm.firstSeen);
    alarms.push({
      alarm: {
        ...alarm,
        ticketId: announced ? ticketId : null,
        acknowledgedBy: announced && alarm.id === primary.id ? engineer : null,
      },
      raisedAtMs: firstMs + 150,
      incidentId,
      maintenance: shape.maintenance,
      history: [
        {
          atMs: firstMs,
          change: 'raised',
          severity: alarm.severity,
          cause: `event ${alarm.lastEventId} (${alarm.type})`,
        },
        {
          atMs: Date.parse(alarm.clearedAt ?? alarm.firstSeen),
          change: 'cleared',
          severity: 'cleared',
          cause: `event ${uuidFrom(`${alarm.id}|clear`)} (${alarm.type === 'linkDown' ? 'linkUp' : 'deviceUp'})`,
        },
      ],
    });
  }
  const cause = listNames([...new Set(rootNames)]);
  const behind = shape.cutOff.filter((d) => !rootNames.includes(d));
  const title =
    `${cause} down${behind.length > 0 ? `: ${behind.join(', ')} cut off` : ''}` +
    (shape.flaps > 1 ? ' (flapping)' : '');
  const resolvedMs = Math.max(...alarms.map((a) => Date.parse(a.alarm.clearedAt ?? ''))) + 250;
  const version = announced ? 3 : 2;
  const incident: Incident = {
    id: incidentId,
    state: 'resolved',
    title,
    severity: symptoms.length > 0 ? 'critical' : 'major',
    primaryAlarmId: primary.id,
    rootAlarmIds: [...new Set(shape.rootPorts.map((_, i) => roots[i * shape.flaps]?.id ?? ''))],
    alarmIds: alarms.map((a) => a.alarm.id),
    // As they stood at the worst of the fault: what the incident took down.
    cutOffDevices: [...shape.cutOff],
    impactedServices: [...shape.services],
    ticketId,
    openedAt: iso(startMs + 2_150),
    updatedAt: iso(resolvedMs),
    resolvedAt: iso(resolvedMs),
    resolution: 'root cause cleared',
    acknowledgedBy: announced ? engineer : null,
    assignee: announced ? engineer : null,
    inMaintenance: !announced,
    announced,
    version,
  };
  const services = shape.services.map((s) => `${s.customerId}/${s.serviceId}`).join(', ');
  const impacted = services === '' ? 'no customer service impacted' : `impacted: ${services}`;
  const ticketEvents: PastTicketEvent[] | null = announced
    ? [
        {
          dedupKey: `ticket-${incidentId}-v1`,
          atMs: Date.parse(incident.openedAt),
          kind: 'opened',
          actor: 'system',
          body: `Opened: ${title} (${incident.severity}); ${impacted}; ${String(alarms.length)} alarm(s), root ${incident.rootAlarmIds.join(', ')}`,
        },
        {
          dedupKey: `ticket-${incidentId}-v2`,
          atMs: ackMs,
          kind: 'acknowledged',
          actor: engineer,
          body: `Acknowledged by ${engineer}`,
        },
        ...(shape.comment === null
          ? []
          : [
              {
                dedupKey: `comment-${incidentId}-1`,
                atMs: ackMs + 9 * MINUTE_MS,
                kind: 'comment',
                actor: engineer,
                body: shape.comment,
              },
            ]),
        {
          dedupKey: `ticket-${incidentId}-v3`,
          atMs: resolvedMs,
          kind: 'resolved',
          actor: 'system',
          body: 'Resolved: root cause cleared',
        },
      ]
    : null;
  return {
    scenario: shape.scenario,
    incident,
    alarms,
    ticketEvents,
    outages: shape.services.map((service) => ({
      ...service,
      startMs: Date.parse(primary.firstSeen),
      endMs: resolvedMs,
      inMaintenance: !announced,
    })),
  };
}

/**
 * The past incidents of the network, oldest first. Each fault meant for the last closed period
 * starts a fixed time before the earliest period start of the customers it impacts, kept inside
 * the history window; the flapping port sits two days before `endMs`.
 */
export function pastIncidents(
  config: NetworkConfig,
  options: PastIncidentsOptions,
): PastIncident[] {
  const windowStartMs = options.endMs - (options.days ?? 31) * DAY_MS;
  const boundaryOf = (services: readonly ImpactedService[]): number =>
    Math.min(
      options.endMs,
      ...services.map((s) => options.periodStartOf?.(s.customerId) ?? options.endMs),
    );
  return faultShapes(config)
    .map((shape, index) => {
      const boundary = shape.closedPeriod ? boundaryOf(shape.services) : options.endMs;
      // Whole seconds, an hour apart at least from the window's start (and from each other).
      const startMs =
        Math.floor(
          Math.max(boundary - shape.beforeBoundaryMs, windowStartMs + (index + 1) * HOUR_MS) / 1000,
        ) * 1000;
      return buildIncident(config, shape, startMs);
    })
    .sort((a, b) => Date.parse(a.incident.openedAt) - Date.parse(b.incident.openedAt));
}
