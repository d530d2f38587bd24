import type { Problem } from '../validate.js';
import { discoveryProblems } from './discovery-checks.js';
import { duplicates, isTimeZone } from './name-checks.js';
import { pagingProblems } from './paging-references.js';
import { planChangeProblems } from './plan-changes.js';
import { POLL_THRESHOLD_METRICS, type Config, type ThresholdRule } from './schema.js';
import { apiTokenProblems } from './token-checks.js';

/**
 * SNMPv3 users whose keys do not add up. The security level follows from the keys given (see the
 * collector's `toSnmpUser`), so a protocol without its key, or a privacy key without an
 * authentication key, would silently make a user that accepts unauthenticated notifications.
 */
function snmpUserProblems(users: Config['snmp']['users']): Problem[] {
  const problems = duplicates(
    users.map((u, i) => ({ key: u.name, path: `snmp.users.${String(i)}.name` })),
    'SNMPv3 user',
  );
  users.forEach((user, i) => {
    const path = `snmp.users.${String(i)}`;
    if (user.authProtocol !== undefined && user.authKey === undefined) {
      problems.push({
        path: `${path}.authKey`,
        message: 'authProtocol is set but authKey is missing',
      });
    }
    if (user.privProtocol !== undefined && user.privKey === undefined) {
      problems.push({
        path: `${path}.privKey`,
        message: 'privProtocol is set but privKey is missing',
      });
    }
    if (user.privKey !== undefined && user.authKey === undefined) {
      problems.push({
        path: `${path}.authKey`,
        message: 'privacy needs authentication: privKey is set but authKey is missing',
      });
    }
  });
  return problems;
}

/**
 * A threshold rule's clear level must lie on the normal side of its raise level (that gap is the
 * hysteresis), a poll rule must name a poll metric, and its devices must exist.
 */
function thresholdProblems(
  rule: ThresholdRule,
  path: string,
  devices: ReadonlySet<string>,
): Problem[] {
  const problems: Problem[] = [];
  const normalSide = rule.direction === 'above' ? rule.clear < rule.raise : rule.clear > rule.raise;
  if (!normalSide) {
    problems.push({
      path: `${path}.clear`,
      message: `must be ${rule.direction === 'above' ? 'below' : 'above'} raise (${String(rule.raise)}) for a rule that raises ${rule.direction} it`,
    });
  }
  if (
    rule.source === 'poll' &&
    !(POLL_THRESHOLD_METRICS as readonly string[]).includes(rule.metric)
  ) {
    problems.push({
      path: `${path}.metric`,
      message: `a poll rule's metric is one of ${POLL_THRESHOLD_METRICS.join(', ')}`,
    });
  }
  rule.devices?.forEach((device, d) => {
    if (!devices.has(device)) {
      problems.push({
        path: `${path}.devices.${String(d)}`,
        message: `unknown device "${device}"`,
      });
    }
  });
  return problems;
}

/**
 * SLA tiers must be monotone: a lower availability threshold never earns a smaller credit, or more
 * downtime could give less credit. Thresholds are unique.
 */
function tierProblems(sla: Config['slas'][number], path: string): Problem[] {
  const problems: Problem[] = [];
  const byThreshold = sla.tiers
    .map((tier, index) => ({ ...tier, index }))
    .sort((a, b) => b.belowPercent - a.belowPercent);
  for (let n = 1; n < byThreshold.length; n++) {
    const higher = byThreshold[n - 1];
    const lower = byThreshold[n];
    if (higher === undefined || lower === undefined) continue;
    const at = `${path}.${String(lower.index)}`;
    if (higher.belowPercent === lower.belowPercent) {
      problems.push({
        path: `${at}.belowPercent`,
        message: `duplicate tier threshold ${String(lower.belowPercent)}`,
      });
    } else if (lower.creditPercent < higher.creditPercent) {
      problems.push({
        path: `${at}.creditPercent`,
        message: `below ${String(lower.belowPercent)}% credits ${String(lower.creditPercent)}%, less than the ${String(higher.creditPercent)}% below ${String(higher.belowPercent)}%: more downtime would earn less credit`,
      });
    }
  }
  return problems;
}

/**
 * Cross-reference checks that a schema cannot express: unique names, links and services that
 * point at existing devices and interfaces, plans and SLAs that exist, v3 users that are defined
 * and whose keys add up.
 */
export function checkReferences(config: Config): Problem[] {
  const problems: Problem[] = [
    ...snmpUserProblems(config.snmp.users),
    ...discoveryProblems(config),
  ];
  const interfacesByDevice = new Map<string, Set<string>>();
  config.devices.forEach((device, d) => {
    interfacesByDevice.set(device.name, new Set(device.interfaces.map((i) => i.name)));
    problems.push(
      ...duplicates(
        device.interfaces.map((i, n) => ({
          key: String(i.ifIndex),
          path: `devices.${String(d)}.interfaces.${String(n)}.ifIndex`,
        })),
        'ifIndex',
      ),
      ...duplicates(
        device.interfaces.map((i, n) => ({
          key: i.name,
          path: `devices.${String(d)}.interfaces.${String(n)}.name`,
        })),
        'interface name',
      ),
    );
    const snmp = device.snmp;
    if (snmp.version === '3' && !config.snmp.users.some((u) => u.name === snmp.user)) {
      problems.push({
        path: `devices.${String(d)}.snmp.user`,
        message: `SNMPv3 user "${snmp.user}" is not defined in snmp.users`,
      });
    }
  });
  problems.push(
    ...duplicates(
      config.devices.map((device, d) => ({ key: device.name, path: `devices.${String(d)}.name` })),
      'device name',
    ),
    ...duplicates(
      config.devices.map((device, d) => ({
        key: `${device.address}:${String(device.snmp.port ?? 161)}`,
        path: `devices.${String(d)}.address`,
      })),
      'device address and port',
    ),
  );

  const checkEnd = (device: string, iface: string, path: string): void => {
    const interfaces = interfacesByDevice.get(device);
    if (!interfaces)
      problems.push({ path: `${path}.device`, message: `unknown device "${device}"` });
    else if (!interfaces.has(iface)) {
      problems.push({
        path: `${path}.interface`,
        message: `device "${device}" has no interface "${iface}"`,
      });
    }
  };
  config.links.forEach((link, l) => {
    checkEnd(link.a.device, link.a.interface, `links.${String(l)}.a`);
    checkEnd(link.b.device, link.b.interface, `links.${String(l)}.b`);
    if (link.a.device === link.b.device && link.a.interface === link.b.interface) {
      problems.push({
        path: `links.${String(l)}`,
        message: 'a link cannot join an interface to itself',
      });
    }
  });
  config.topology?.roots.forEach((root, r) => {
    if (!interfacesByDevice.has(root)) {
      problems.push({ path: `topology.roots.${String(r)}`, message: `unknown device "${root}"` });
    }
  });

  const planIds = new Set(config.pricePlans.map((p) => p.id));
  const slaIds = new Set(config.slas.map((s) => s.id));
  problems.push(
    ...duplicates(
      config.pricePlans.map((p, i) => ({ key: p.id, path: `pricePlans.${String(i)}.id` })),
      'price plan id',
    ),
    ...duplicates(
      config.slas.map((s, i) => ({ key: s.id, path: `slas.${String(i)}.id` })),
      'SLA id',
    ),
    ...duplicates(
      config.customers.map((c, i) => ({ key: c.id, path: `customers.${String(i)}.id` })),
      'customer id',
    ),
    ...duplicates(
      config.customers.flatMap((c, i) =>
        c.services.map((s, j) => ({
          key: s.id,
          path: `customers.${String(i)}.services.${String(j)}.id`,
        })),
      ),
      'service id',
    ),
    ...duplicates(
      config.api.tokens.map((t, i) => ({ key: t.name, path: `api.tokens.${String(i)}.name` })),
      'token name',
    ),
    ...apiTokenProblems(config.api.tokens),
  );
  config.customers.forEach((customer, c) => {
    const path = `customers.${String(c)}`;
    if (!isTimeZone(customer.timeZone)) {
      problems.push({
        path: `${path}.timeZone`,
        message: `unknown time zone "${customer.timeZone}"`,
      });
    }
    customer.services.forEach((service, s) => {
      const servicePath = `${path}.services.${String(s)}`;
      checkEnd(service.device, service.interface, servicePath);
      if (!planIds.has(service.plan)) {
        problems.push({
          path: `${servicePath}.plan`,
          message: `unknown price plan "${service.plan}"`,
        });
      }
      problems.push(
        ...planChangeProblems(service.planChanges ?? [], `${servicePath}.planChanges`, planIds),
      );
      if (service.sla !== undefined && !slaIds.has(service.sla)) {
        problems.push({ path: `${servicePath}.sla`, message: `unknown SLA "${service.sla}"` });
      }
    });
  });
  config.slas.forEach((sla, s) => problems.push(...tierProblems(sla, `slas.${String(s)}.tiers`)));
  problems.push(
    ...duplicates(
      config.thresholds.map((t, i) => ({ key: t.name, path: `thresholds.${String(i)}.name` })),
      'threshold name',
    ),
  );
  config.thresholds.forEach((rule, t) =>
    problems.push(
      ...thresholdProblems(rule, `thresholds.${String(t)}`, new Set(interfacesByDevice.keys())),
    ),
  );
  const serviceIds = new Set(config.customers.flatMap((c) => c.services.map((sv) => sv.id)));
  config.maintenance.forEach((window, w) => {
    const path = `maintenance.${String(w)}`;
    window.devices.forEach((device, d) => {
      if (!interfacesByDevice.has(device)) {
        problems.push({
          path: `${path}.devices.${String(d)}`,
          message: `unknown device "${device}"`,
        });
      }
    });
    window.interfaces.forEach((ref, i) => {
      const at = ref.indexOf(':');
      checkEnd(ref.slice(0, at), ref.slice(at + 1), `${path}.interfaces.${String(i)}`);
    });
    window.services.forEach((service, i) => {
      if (!serviceIds.has(service)) {
        problems.push({
          path: `${path}.services.${String(i)}`,
          message: `unknown service "${service}"`,
        });
      }
    });
    if (window.recurring !== undefined) {
      if (window.start !== undefined || window.end !== undefined) {
        problems.push({
          path,
          message: 'a window is either one-off (start, end) or recurring, not both',
        });
      }
      if (!isTimeZone(window.recurring.timeZone)) {
        problems.push({
          path: `${path}.recurring.timeZone`,
          message: `unknown time zone "${window.recurring.timeZone}"`,
        });
      }
    } else if (window.start === undefined || window.end === undefined) {
      problems.push({
        path,
        message: 'a one-off window needs both start and end (or use recurring)',
      });
    } else if (Date.parse(window.start) >= Date.parse(window.end)) {
      problems.push({ path: `${path}.end`, message: 'end must be after start' });
    }
  });
  problems.push(
    ...duplicates(
      config.maintenance.map((window, w) => ({
        key: window.name,
        path: `maintenance.${String(w)}.name`,
      })),
      'maintenance window name',
    ),
    ...duplicates(
      (config.notify?.webhooks ?? []).map((hook, h) => ({
        key: hook.name,
        path: `notify.webhooks.${String(h)}.name`,
      })),
      'webhook name',
    ),
  );
  problems.push(...pagingProblems(config));
  if (
    config.influx.api === 'v2' &&
    (config.influx.org === undefined || config.influx.bucket === undefined)
  ) {
    problems.push({ path: 'influx', message: 'api v2 needs both org and bucket' });
  }
  return problems;
}
