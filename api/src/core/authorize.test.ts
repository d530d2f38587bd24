import { describe, expect, it } from 'vitest';
import { METRICS_ROLES, ROLES, type Role } from '@faultline/shared';
import { authorize, PERMISSIONS, type Permission } from './authorize.js';

const table: [Role, Permission, boolean][] = [
  ['viewer', 'alarms:read', true],
  ['viewer', 'inventory:read', true],
  ['viewer', 'live:subscribe', true],
  ['viewer', 'incidents:read', true],
  ['viewer', 'alarms:acknowledge', false],
  ['viewer', 'incidents:act', false],
  ['viewer', 'billing:read', false],
  ['viewer', 'billing:run', false],
  ['viewer', 'billing:approve', false],
  ['viewer', 'admin', false],
  ['viewer', 'oncall:read', true],
  ['viewer', 'oncall:override', false],
  ['viewer', 'paging:subscribe', false],
  ['engineer', 'oncall:override', true],
  ['engineer', 'paging:subscribe', true],
  ['billing', 'oncall:read', true],
  ['billing', 'paging:subscribe', false],
  ['engineer', 'alarms:read', true],
  ['engineer', 'alarms:acknowledge', true],
  ['engineer', 'incidents:act', true],
  ['engineer', 'billing:read', false],
  ['engineer', 'billing:run', false],
  ['engineer', 'billing:approve', false],
  ['engineer', 'admin', false],
  ['billing', 'alarms:read', true],
  ['billing', 'billing:read', true],
  ['billing', 'billing:run', true],
  ['billing', 'billing:approve', true],
  ['billing', 'alarms:acknowledge', false],
  ['billing', 'incidents:act', false],
  ['billing', 'admin', false],
  ['admin', 'alarms:acknowledge', true],
  ['admin', 'billing:read', true],
  ['admin', 'billing:run', true],
  ['admin', 'billing:approve', true],
  ['admin', 'admin', true],
  ['admin', 'metrics:read', true],
  ['metrics', 'metrics:read', true],
  ['viewer', 'metrics:read', false],
  ['engineer', 'metrics:read', false],
  ['billing', 'metrics:read', false],
  ['metrics', 'alarms:read', false],
  ['metrics', 'live:subscribe', false],
  // Customer-facing staff: the care desk and status links, nothing network-wide.
  ['care', 'care:read', true],
  ['care', 'status-links:manage', true],
  ['care', 'alarms:read', false],
  ['care', 'incidents:read', false],
  ['care', 'inventory:read', false],
  ['care', 'live:subscribe', false],
  ['care', 'billing:read', false],
  ['viewer', 'care:read', false],
  ['engineer', 'status-links:manage', false],
  ['billing', 'care:read', false],
  ['admin', 'care:read', true],
  ['admin', 'status-links:manage', true],
];

describe('authorize', () => {
  it.each(table)('%s may %s: %s', (role, permission, expected) => {
    expect(authorize(role, permission).allowed).toBe(expected);
  });

  it('names the role and permission when it denies', () => {
    expect(authorize('viewer', 'admin')).toEqual({
      allowed: false,
      reason: 'role "viewer" lacks permission "admin"',
    });
  });

  it.each(PERMISSIONS)('admin holds %s and every role holds what viewer holds', (permission) => {
    if (permission !== 'metrics:read') expect(authorize('metrics', permission).allowed).toBe(false);
    expect(authorize('admin', permission).allowed).toBe(true);
    if (authorize('viewer', permission).allowed) {
      for (const role of ['engineer', 'billing'] as const) {
        expect(authorize(role, permission).allowed).toBe(true);
      }
    }
  });

  // The standalone parts' /metrics servers (shared's METRICS_ROLES) follow the api's rule.
  it.each(ROLES)('%s reads every /metrics alike', (role) => {
    expect(METRICS_ROLES.includes(role)).toBe(authorize(role, 'metrics:read').allowed);
  });
});
