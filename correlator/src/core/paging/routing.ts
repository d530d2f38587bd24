import type { DeviceGroup, EscalationPolicy, Severity } from '@faultline/shared';

/** What routing looks at in an incident. */
export interface RoutingFacts {
  readonly severity: Severity;
  /** Customers and services the incident takes down. */
  readonly customers: readonly string[];
  readonly services: readonly string[];
  /** The devices of its root alarms, with their sites. */
  readonly devices: readonly { readonly name: string; readonly site: string | undefined }[];
}

function inGroup(group: DeviceGroup, device: RoutingFacts['devices'][number]): boolean {
  return (
    group.devices.includes(device.name) ||
    (device.site !== undefined && group.sites.includes(device.site))
  );
}

function fits(wanted: readonly string[] | undefined, has: (name: string) => boolean): boolean {
  return wanted === undefined || wanted.length === 0 || wanted.some(has);
}

/**
 * The policy that takes an incident: the first, in order, whose every given criterion matches
 * (a customer, a service, a device group of a root device, a severity), or undefined. Pure.
 */
export function routeIncident(
  policies: readonly EscalationPolicy[],
  deviceGroups: readonly DeviceGroup[],
  facts: RoutingFacts,
): EscalationPolicy | undefined {
  const groups = new Map(deviceGroups.map((g) => [g.name, g]));
  return policies.find(
    ({ match }) =>
      fits(match.customers, (c) => facts.customers.includes(c)) &&
      fits(match.services, (s) => facts.services.includes(s)) &&
      fits(match.severities, (s) => s === facts.severity) &&
      fits(match.deviceGroups, (name) => {
        const group = groups.get(name);
        return group !== undefined && facts.devices.some((d) => inGroup(group, d));
      }),
  );
}
