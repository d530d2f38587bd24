import { describe, expect, it } from 'vitest';
import { analyzeTopology, topologyFromConfig, type FaultGroup } from './topology.js';
import { EXAMPLE_TOPOLOGY as T, deviceAlarm, linkAlarm } from './testing/example-topology.js';

function summary(groups: readonly FaultGroup[]) {
  return groups.map((g) => ({
    roots: g.rootAlarmIds,
    symptoms: Object.fromEntries(g.symptoms),
    cutOff: g.cutOffDevices,
    services: g.impactedServices.map((s) => s.serviceId),
  }));
}

describe('analyzeTopology', () => {
  it('finds nothing when nothing is down', () => {
    expect(analyzeTopology(T, [])).toEqual([]);
  });

  it('a fibre cut of both agg-2 uplinks: one group, both uplinks its roots, the rest symptoms', () => {
    const groups = analyzeTopology(T, [
      deviceAlarm('s1', 'agg-2', 'unreachable', 0),
      linkAlarm('r1', 'core-1', 'xe-0/0/2', 1),
      linkAlarm('r2', 'core-2', 'xe-0/0/3', 2),
      deviceAlarm('s2', 'access-3', 'unreachable', 3),
      linkAlarm('s3', 'agg-2', 'ge-0/0/1', 4),
      { id: 's4', type: 'coldStart', device: 'access-3', component: null, firstSeenMs: 5000 },
    ]);
    expect(summary(groups)).toEqual([
      {
        roots: ['r1', 'r2'],
        symptoms: {
          s1: 'agg-2 unreachable: its only uplinks, core-1:xe-0/0/2 and core-2:xe-0/0/3, are down',
          s2: 'access-3 unreachable: cut off behind agg-2, whose uplinks core-1:xe-0/0/2 and core-2:xe-0/0/3 are down',
          s3: 'agg-2 unreachable: its only uplinks, core-1:xe-0/0/2 and core-2:xe-0/0/3, are down',
          s4: 'access-3 unreachable: cut off behind agg-2, whose uplinks core-1:xe-0/0/2 and core-2:xe-0/0/3 are down',
        },
        cutOff: ['access-3', 'agg-2'],
        services: ['initech-office'],
      },
    ]);
    expect(groups[0]?.rootElements).toEqual(['core-1:xe-0/0/2', 'core-2:xe-0/0/3']);
  });

  it('a redundant uplink down cuts nothing off: one group for the link, no services', () => {
    const groups = analyzeTopology(T, [
      linkAlarm('r1', 'core-1', 'xe-0/0/2', 1),
      linkAlarm('far', 'agg-2', 'xe-0/0/48', 2),
    ]);
    expect(summary(groups)).toEqual([
      {
        roots: ['r1'],
        symptoms: { far: 'agg-2:xe-0/0/48 is the other end of core-1:xe-0/0/2, which is down' },
        cutOff: [],
        services: [],
      },
    ]);
  });

  it('the far end of a cut link is a symptom of the near end', () => {
    const groups = analyzeTopology(T, [
      linkAlarm('far', 'access-3', 'ge-0/0/24', 0),
      linkAlarm('near', 'agg-2', 'ge-0/0/1', 1),
    ]);
    expect(summary(groups)).toEqual([
      {
        roots: ['near'],
        symptoms: { far: 'access-3:ge-0/0/24 is the far end of agg-2:ge-0/0/1, which is down' },
        cutOff: ['access-3'],
        services: ['initech-office'],
      },
    ]);
  });

  it('a device down with its uplinks up is the root of what is behind it', () => {
    const groups = analyzeTopology(T, [
      deviceAlarm('d', 'agg-1', 'deviceDown', 0),
      deviceAlarm('a1', 'access-1', 'unreachable', 0),
      deviceAlarm('a2', 'access-2', 'unreachable', 0),
    ]);
    expect(summary(groups)).toEqual([
      {
        roots: ['d'],
        symptoms: {
          a1: 'access-1 unreachable: cut off behind agg-1, which is down',
          a2: 'access-2 unreachable: cut off behind agg-1, which is down',
        },
        cutOff: ['access-1', 'access-2', 'agg-1'],
        services: ['acme-transit', 'globex-backup', 'umbrella-dc'],
      },
    ]);
  });

  it('one uplink of agg-2 down, then the other: one group once both are down', () => {
    const one = analyzeTopology(T, [linkAlarm('r1', 'core-1', 'xe-0/0/2', 1)]);
    expect(summary(one).map((g) => g.roots)).toEqual([['r1']]);
    const both = analyzeTopology(T, [
      linkAlarm('r1', 'core-1', 'xe-0/0/2', 1),
      linkAlarm('r2', 'core-2', 'xe-0/0/3', 9),
    ]);
    expect(summary(both).map((g) => g.roots)).toEqual([['r1', 'r2']]);
  });

  it('a customer port down impacts its service only; other alarms stand alone', () => {
    const groups = analyzeTopology(T, [
      linkAlarm('p', 'access-1', 'ge-0/0/1', 0),
      { id: 'x', type: 'coldStart', device: 'core-1', component: null, firstSeenMs: 0 },
      deviceAlarm('u', '10.9.9.9', 'unreachable', 0),
    ]);
    expect(summary(groups)).toEqual([
      { roots: ['p'], symptoms: {}, cutOff: [], services: ['acme-transit'] },
      { roots: ['u'], symptoms: {}, cutOff: [], services: [] },
      { roots: ['x'], symptoms: {}, cutOff: [], services: [] },
    ]);
  });

  it('two separate cuts are two groups', () => {
    const groups = analyzeTopology(T, [
      linkAlarm('a', 'agg-1', 'ge-0/0/2', 0),
      linkAlarm('b', 'agg-2', 'ge-0/0/1', 0),
    ]);
    expect(summary(groups)).toEqual([
      { roots: ['a'], symptoms: {}, cutOff: ['access-2'], services: ['globex-backup'] },
      { roots: ['b'], symptoms: {}, cutOff: ['access-3'], services: ['initech-office'] },
    ]);
  });

  it('without topology roots every alarm stands alone', () => {
    const groups = analyzeTopology({ ...T, roots: [] }, [
      linkAlarm('r1', 'core-1', 'xe-0/0/2', 1),
      linkAlarm('r2', 'core-2', 'xe-0/0/3', 2),
    ]);
    expect(summary(groups).map((g) => g.roots)).toEqual([['r1'], ['r2']]);
  });

  it('reads the topology from a config', () => {
    const topology = topologyFromConfig({
      devices: [],
      links: [{ a: { device: 'x', interface: 'i' }, b: { device: 'y', interface: 'j' } }],
      topology: { roots: ['x'] },
      customers: [],
    } as unknown as Parameters<typeof topologyFromConfig>[0]);
    expect(topology.links[0]?.id).toBe('x:i--y:j');
    expect(topology.roots).toEqual(['x']);
  });
});
