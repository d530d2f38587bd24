import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '../adapters/snmp-discovery.js';
import type { LldpDevice } from '../core/lldp-links.js';
import { runDiscovery, type DiscoveryProgress } from './discovery-run.js';

/** A device with no interfaces and no LLDP neighbours, answering at `address`. */
const device = (name: string, address: string): LldpDevice => ({
  device: {
    name,
    address,
    sysObjectId: '1.3.6.1.4.1.8072.3.2.10',
    sysDescr: '',
    chassisId: undefined,
    credential: 0,
    interfaces: [],
  },
  localPorts: [],
  remotes: [],
});

/**
 * A clock that moves only when a worker sleeps: `sleep(ms)` resolves on the next microtask with
 * the time moved to at least the moment it was asked for. What each probe records is the time at
 * which it was started.
 */
function virtualTime(): { now: () => number; sleep: (ms: number) => Promise<void> } {
  let nowMs = 0;
  return {
    now: () => nowMs,
    sleep: (ms) => {
      const untilMs = nowMs + ms;
      return Promise.resolve().then(() => {
        nowMs = Math.max(nowMs, untilMs);
      });
    },
  };
}

/** A probe that stays in flight for one turn of the event loop and records what it saw. */
function recordingProbe(now: () => number, answer: (address: string) => ProbeResult) {
  const started = new Map<string, number>();
  let inFlight = 0;
  let mostInFlight = 0;
  return {
    started,
    mostInFlight: () => mostInFlight,
    probe: async (address: string): Promise<ProbeResult> => {
      started.set(address, now());
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      if (address.endsWith('.13')) throw new Error('walk broke off');
      return answer(address);
    },
  };
}

describe('runDiscovery', () => {
  it.each([1, 4, 16])(
    'probes every address of the ranges once, at most %i at once, none before its rate allows',
    async (concurrency) => {
      const ratePerS = 200;
      const time = virtualTime();
      const recorder = recordingProbe(time.now, (address) =>
        address === '10.0.0.5'
          ? { kind: 'found', device: device('sw-5', address) }
          : { kind: 'silent' },
      );
      const progress: DiscoveryProgress[] = [];
      const outcome = await runDiscovery({
        discovery: {
          ranges: [{ range: '10.0.0.0/27', exclude: ['10.0.0.8-10.0.0.11'] }],
          concurrency,
          ratePerS,
        },
        probe: recorder.probe,
        now: time.now,
        sleep: time.sleep,
        onProgress: (p) => progress.push(p),
      });
      const addresses = [...recorder.started.keys()];
      expect(addresses).toHaveLength(28);
      expect(new Set(addresses).size).toBe(28);
      expect(addresses.filter((a) => /^10\.0\.0\.(8|9|10|11)$/.test(a))).toEqual([]);
      expect(recorder.mostInFlight()).toBe(concurrency);
      // The n-th address (ascending) starts no sooner than n / ratePerS seconds after the first.
      const order = addresses.sort((x, y) => Number(x.split('.')[3]) - Number(y.split('.')[3]));
      const early = order.filter(
        (address, n) => (recorder.started.get(address) ?? 0) < (n * 1000) / ratePerS,
      );
      expect(early).toEqual([]);
      expect(progress.at(-1)).toEqual({ total: 28, probed: 28, found: 1, failed: 1 });
      expect(outcome.topology.devices.map((d) => d.name)).toEqual(['sw-5']);
      expect(outcome.failures).toEqual([{ address: '10.0.0.13', message: 'walk broke off' }]);
    },
  );

  it('keeps a device answering on two addresses at the first, listing the other', async () => {
    const time = virtualTime();
    const recorder = recordingProbe(time.now, (address) =>
      ['10.0.0.2', '10.0.0.1'].includes(address)
        ? { kind: 'found', device: device('core-1', address) }
        : { kind: 'silent' },
    );
    const outcome = await runDiscovery({
      discovery: {
        ranges: [{ range: '10.0.0.1-10.0.0.3', exclude: [] }],
        concurrency: 3,
        ratePerS: 1000,
      },
      probe: recorder.probe,
      now: time.now,
      sleep: time.sleep,
    });
    expect(outcome.topology.devices.map((d) => [d.name, d.address])).toEqual([
      ['core-1', '10.0.0.1'],
    ]);
    expect(outcome.duplicates).toEqual([{ name: 'core-1', address: '10.0.0.2' }]);
  });
});
