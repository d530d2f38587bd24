import { describe, expect, it } from 'vitest';
import {
  devicePath,
  interfacePath,
  nextRotationPath,
  parseRotation,
  parseRoute,
  rotationSearch,
  type Route,
} from './route.js';

describe('parseRoute', () => {
  it.each<[string, Route]>([
    ['/', { page: 'alarms' }],
    ['/alarms', { page: 'alarms' }],
    ['/wall', { page: 'wall' }],
    ['/wall/', { page: 'wall' }],
    ['/oncall', { page: 'oncall' }],
    ['/billing', { page: 'billing' }],
    ['/admin', { page: 'admin' }],
    ['/incidents/inc-1', { page: 'incident', id: 'inc-1' }],
    ['/incidents/inc%3A1', { page: 'incident', id: 'inc:1' }],
    ['/incidents/', { page: 'not-found' }],
    ['/nope', { page: 'not-found' }],
    ['/devices/core-1', { page: 'device', name: 'core-1' }],
    ['/devices/core-1/interfaces/12', { page: 'interface', device: 'core-1', ifIndex: 12 }],
    ['/devices/core-1/interfaces/0', { page: 'not-found' }],
    ['/devices/core-1/interfaces/x', { page: 'not-found' }],
  ])('%s', (path, route) => {
    expect(parseRoute(path)).toEqual(route);
  });
});

describe('devicePath and interfacePath', () => {
  it('round-trip through parseRoute', () => {
    expect(parseRoute(devicePath('a b'))).toEqual({ page: 'device', name: 'a b' });
    expect(parseRoute(interfacePath('a/b', 3))).toEqual({
      page: 'interface',
      device: 'a/b',
      ifIndex: 3,
    });
  });
});

describe('parseRotation', () => {
  it.each([
    ['', undefined],
    ['?rotate=30', { intervalMs: 30_000, paths: ['/wall', '/'] }],
    ['?rotate=10&pages=/wall,/oncall', { intervalMs: 10_000, paths: ['/wall', '/oncall'] }],
    ['?rotate=10&pages=/wall,/nowhere', undefined],
    ['?rotate=2', undefined],
    ['?rotate=abc', undefined],
  ])('%s', (search, rotation) => {
    expect(parseRotation(search)).toEqual(rotation);
  });

  it('cycles through the pages', () => {
    const rotation = { intervalMs: 1000, paths: ['/wall', '/', '/oncall'] };
    expect(nextRotationPath(rotation, '/wall')).toBe('/');
    expect(nextRotationPath(rotation, '/oncall')).toBe('/wall');
    expect(nextRotationPath(rotation, '/billing')).toBe('/wall');
  });
});

describe('rotationSearch', () => {
  it.each([
    ['', ''],
    ['?run=acme%2F2026-04%2Fv1&period=2026-04', ''],
    ['?rotate=30&run=x&pages=%2Fwall%2C%2F', '?rotate=30&pages=%2Fwall%2C%2F'],
  ])('%s keeps %s', (search, kept) => {
    expect(rotationSearch(search)).toBe(kept);
  });
});
