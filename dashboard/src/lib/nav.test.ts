import { describe, expect, it } from 'vitest';
import { navLinks, pageRefusal } from './nav.js';

const labels = (permissions: readonly string[] | null) =>
  navLinks(permissions).map((link) => link.label);

describe('navLinks', () => {
  it.each([
    ['a viewer', ['alarms:read', 'oncall:read'], ['Alarms', 'On-call', 'Wall']],
    ['billing', ['alarms:read', 'billing:read'], ['Alarms', 'On-call', 'Wall', 'Billing']],
    ['an admin', ['billing:read', 'admin'], ['Alarms', 'On-call', 'Wall', 'Billing', 'Admin']],
    ['an unknown session', null, ['Alarms', 'On-call', 'Wall']],
  ] as const)('shows %s only what it may use', (_, permissions, expected) => {
    expect(labels(permissions)).toEqual(expected);
  });
});

describe('pageRefusal', () => {
  const viewer = { role: 'viewer', permissions: ['alarms:read', 'inventory:read'] };
  it.each([
    [
      'billing',
      viewer,
      'Your role (viewer) may not use the billing desk. Ask an administrator for a token whose role may.',
    ],
    [
      'admin',
      viewer,
      'Your role (viewer) may not use the admin page. Ask an administrator for a token whose role may.',
    ],
    ['billing', { role: 'billing', permissions: ['billing:read'] }, null],
    ['device', viewer, null],
    ['billing', null, null],
  ] as const)('%s for %j', (page, caller, expected) => {
    expect(pageRefusal(page, caller)).toBe(expected);
  });
});
