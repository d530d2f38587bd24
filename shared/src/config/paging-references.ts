import type { Problem } from '../validate.js';
import { duplicates, isTimeZone } from './name-checks.js';
import type { Config } from './schema.js';

function unknown(path: string, what: string, name: string): Problem {
  return { path, message: `unknown ${what} "${name}"` };
}

/**
 * The paging section's cross-references: people, rotations, channels, device groups, customers
 * and services named where they are used exist; names are unique; zones are known; an override
 * ends after it starts; e-mail needs `paging.smtp`.
 */
export function pagingProblems(config: Config): Problem[] {
  const paging = config.paging;
  const people = new Set(paging.people.map((p) => p.name));
  const rotations = new Set(paging.rotations.map((r) => r.name));
  const channels = new Set(paging.channels.map((c) => c.name));
  const groups = new Set(paging.deviceGroups.map((g) => g.name));
  const devices = new Set(config.devices.map((d) => d.name));
  const customers = new Set(config.customers.map((c) => c.id));
  const services = new Set(config.customers.flatMap((c) => c.services.map((s) => s.id)));
  const problems: Problem[] = [
    ...duplicates(
      paging.people.map((p, i) => ({ key: p.name, path: `paging.people.${String(i)}.name` })),
      'person',
    ),
    ...duplicates(
      paging.rotations.map((r, i) => ({ key: r.name, path: `paging.rotations.${String(i)}.name` })),
      'rotation',
    ),
    ...duplicates(
      paging.channels.map((c, i) => ({ key: c.name, path: `paging.channels.${String(i)}.name` })),
      'channel',
    ),
    ...duplicates(
      paging.deviceGroups.map((g, i) => ({
        key: g.name,
        path: `paging.deviceGroups.${String(i)}.name`,
      })),
      'device group',
    ),
    ...duplicates(
      paging.policies.map((p, i) => ({ key: p.name, path: `paging.policies.${String(i)}.name` })),
      'escalation policy',
    ),
  ];
  paging.rotations.forEach((rotation, r) => {
    const path = `paging.rotations.${String(r)}`;
    if (!isTimeZone(rotation.timeZone))
      problems.push(unknown(`${path}.timeZone`, 'time zone', rotation.timeZone));
    if (Number.isNaN(Date.parse(`${rotation.start}T00:00:00Z`)))
      problems.push({ path: `${path}.start`, message: `"${rotation.start}" is not a date` });
    rotation.people.forEach((person, p) => {
      if (!people.has(person))
        problems.push(unknown(`${path}.people.${String(p)}`, 'person', person));
    });
  });
  paging.overrides.forEach((override, o) => {
    const path = `paging.overrides.${String(o)}`;
    if (!rotations.has(override.rotation))
      problems.push(unknown(`${path}.rotation`, 'rotation', override.rotation));
    if (!people.has(override.person))
      problems.push(unknown(`${path}.person`, 'person', override.person));
    if (Date.parse(override.start) >= Date.parse(override.end))
      problems.push({ path: `${path}.end`, message: 'end must be after start' });
  });
  if (config.notify?.ackTimeoutS !== undefined && paging.policies.length > 0) {
    problems.push({
      path: 'notify.ackTimeoutS',
      message: 'escalation policies (paging.policies) replace reminders: remove ackTimeoutS',
    });
  }
  paging.channels.forEach((channel, c) => {
    if (channel.type === 'email' && paging.smtp === undefined)
      problems.push({
        path: `paging.channels.${String(c)}`,
        message: 'an email channel needs paging.smtp',
      });
  });
  config.customers.forEach((customer, c) => {
    customer.contact?.channels.forEach((name, n) => {
      const path = `customers.${String(c)}.contact.channels.${String(n)}`;
      const channel = paging.channels.find((candidate) => candidate.name === name);
      if (channel === undefined) problems.push(unknown(path, 'channel', name));
      else if (channel.type === 'pagerduty')
        problems.push({
          path,
          message: 'a budget warning is no incident: not a pagerduty channel',
        });
    });
  });
  paging.deviceGroups.forEach((group, g) => {
    group.devices.forEach((device, d) => {
      if (!devices.has(device))
        problems.push(
          unknown(`paging.deviceGroups.${String(g)}.devices.${String(d)}`, 'device', device),
        );
    });
  });
  paging.policies.forEach((policy, p) => {
    const path = `paging.policies.${String(p)}`;
    const check = (
      names: readonly string[] | undefined,
      known: Set<string>,
      what: string,
    ): void => {
      const key = what === 'device group' ? 'deviceGroups' : `${what}s`;
      names?.forEach((name, i) => {
        if (!known.has(name))
          problems.push(unknown(`${path}.match.${key}.${String(i)}`, what, name));
      });
    };
    check(policy.match.customers, customers, 'customer');
    check(policy.match.services, services, 'service');
    check(policy.match.deviceGroups, groups, 'device group');
    policy.levels.forEach((level, l) => {
      level.targets.forEach((target, t) => {
        const at = `${path}.levels.${String(l)}.targets.${String(t)}`;
        if ('rotation' in target && !rotations.has(target.rotation))
          problems.push(unknown(`${at}.rotation`, 'rotation', target.rotation));
        if ('person' in target && !people.has(target.person))
          problems.push(unknown(`${at}.person`, 'person', target.person));
        if ('channel' in target && !channels.has(target.channel))
          problems.push(unknown(`${at}.channel`, 'channel', target.channel));
      });
    });
  });
  return problems;
}
