import type { FaultEvent } from '@faultline/shared';
import { createLogger } from '@faultline/shared';
import { describe, expect, it } from 'vitest';
import { createInventory } from '../core/inventory.js';
import { testInventoryConfig } from '../core/testing/fixtures.js';
import { createAuthFailurePipeline } from './auth-failure-pipeline.js';

describe('createAuthFailurePipeline', () => {
  it('sends one event per source per interval, then one that counts what it folded in', () => {
    let nowMs = 0;
    const sent: FaultEvent[] = [];
    let ids = 0;
    const pipeline = createAuthFailurePipeline({
      inventory: createInventory(testInventoryConfig()),
      sink: { enqueue: (event) => sent.push(event) > 0, close: () => Promise.resolve() },
      clock: () => nowMs,
      newId: () => `id-${String(++ids)}`,
      logger: createLogger({ level: 'silent' }),
      intervalMs: 60_000,
    });
    const timeline: [number, string][] = [
      [0, '10.0.0.1'],
      [1000, '10.0.0.1'],
      [2000, '192.0.2.9'],
      [30_000, '10.0.0.1'],
      [60_000, '10.0.0.1'],
    ];
    for (const [at, source] of timeline) {
      nowMs = at;
      pipeline.handle(source, 'unknown community');
    }
    expect(
      sent.map((e) => [
        e.timeMs,
        e.device,
        e.deviceKnown,
        e.reductionKey,
        e.details.suppressedBefore,
      ]),
    ).toEqual([
      [0, 'core-1', true, 'trapAuthenticationFailure:core-1', 0],
      [2000, '192.0.2.9', false, 'trapAuthenticationFailure:192.0.2.9', 0],
      [60_000, 'core-1', true, 'trapAuthenticationFailure:core-1', 2],
    ]);
    expect(pipeline.counters.events).toBe(3);
  });
});
