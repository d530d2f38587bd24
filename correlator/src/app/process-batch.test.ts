import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLogger, type FaultEvent } from '@faultline/shared';
import { reduceAlarms, type OpenAlarms } from '../core/alarm-reducer.js';
import { planWrites } from '../core/alarm-writes.js';
import { keysOfBatch } from '../core/batch-keys.js';
import { faultEvent } from '../core/fault-event.fixture.js';
import type { AlarmStore, AppliedBatch } from '../ports.js';
import { createProcessBatch } from './process-batch.js';

function event(id: string, key: string, timeMs: number): FaultEvent {
  return faultEvent(id, timeMs, { reductionKey: key, description: `${key} is down` });
}

/**
 * An alarm store in memory on the real reducer: each commit waits for `release` (when given), so a
 * test can hold one commit open while batches arrive.
 */
function memoryStore(options: { failCommits?: Set<number>; copyEvents?: boolean } = {}) {
  let open: OpenAlarms = new Map();
  const appliedBatches = new Set<string>();
  let alarms = 0;
  const commits: string[][] = [];
  const gates: (() => void)[] = [];
  const store: AlarmStore = {
    dropPartition: () => undefined,
    async applyBatch(_partition, given, afterCommit) {
      // As the PostgreSQL store does with an event carrying a NUL: it decides on a copy.
      const batches =
        options.copyEvents === true
          ? given.map((b) => ({ id: b.id, events: b.events.map((e) => ({ ...e })) }))
          : given;
      const events = batches.flatMap((b) => b.events);
      const commit = commits.push(events.map((e) => e.id)) - 1;
      await new Promise<void>((resolve) => gates.push(resolve));
      if (options.failCommits?.has(commit) === true) throw new Error(`commit ${String(commit)}`);
      const before = open;
      const fresh = batches.filter((b) => !appliedBatches.has(b.id));
      const skipped = batches.filter((b) => appliedBatches.has(b.id));
      const reduced = reduceAlarms(
        before,
        { events: fresh.flatMap((b) => b.events) },
        { newAlarmId: () => `alarm-${String(++alarms)}` },
      );
      for (const b of batches) appliedBatches.add(b.id);
      open = reduced.open;
      const applied: AppliedBatch = {
        decisions: [
          ...reduced.decisions,
          ...skipped.flatMap((b) =>
            b.events.map((event) => ({ kind: 'duplicate', event }) as const),
          ),
        ],
        writes: planWrites(before, reduced.decisions),
        keys: keysOfBatch(events),
        open,
      };
      await afterCommit(applied);
      return applied;
    },
    listAlarms: () => Promise.resolve([...open.values()].map((record) => record.alarm)),
    getAlarm: () => Promise.resolve(undefined),
  };
  return {
    store,
    commits,
    counts: () => new Map([...open].map(([key, record]) => [key, record.alarm.count])),
    /** Lets the oldest waiting commit go on; false when none waits. */
    release: async (): Promise<boolean> => {
      // Let submitted batches reach the store first.
      await new Promise((resolve) => setImmediate(resolve));
      const gate = gates.shift();
      gate?.();
      await new Promise((resolve) => setImmediate(resolve));
      return gate !== undefined;
    },
  };
}

function processor(store: AlarmStore, maxEventsPerCommit?: number) {
  const mirrored: number[] = [];
  const process = createProcessBatch({
    partition: 0,
    store,
    hotState: {
      mirror: (applied) => {
        mirrored.push(applied.keys.length);
        return Promise.resolve();
      },
    },
    logger: createLogger({ level: 'silent' }),
    ...(maxEventsPerCommit === undefined ? {} : { maxEventsPerCommit }),
  });
  return { process, mirrored };
}

describe('processing event batches (group commit)', () => {
  it('commits the batches that arrive during a commit together, and counts each batch its own decisions', async () => {
    const memory = memoryStore();
    const { process, mirrored } = processor(memory.store);
    const first = process({ events: [event('a1', 'k1', 1)] });
    const second = process({ events: [event('b1', 'k1', 2), event('b2', 'k2', 3)] });
    // The first batch again (a redelivery): skipped whole.
    const third = process({ events: [event('a1', 'k1', 1)] });
    while (await memory.release());
    expect(memory.commits).toEqual([['a1'], ['b1', 'b2', 'a1']]);
    expect(await first).toMatchObject({ raised: 1, repeated: 0, duplicate: 0 });
    expect(await second).toMatchObject({ raised: 1, repeated: 1, duplicate: 0 });
    expect(await third).toMatchObject({ raised: 0, repeated: 0, duplicate: 1 });
    expect(mirrored).toEqual([1, 2]);
    expect(memory.counts()).toEqual(
      new Map([
        ['k1', 2],
        ['k2', 1],
      ]),
    );
  });

  it('counts decisions back to their batch by event id when the store decided on copies', async () => {
    const memory = memoryStore({ copyEvents: true });
    const { process } = processor(memory.store);
    const first = process({ events: [event('a1', 'k1', 1)] });
    const second = process({ events: [event('b1', 'k1', 2)] });
    const third = process({ events: [event('a1', 'k1', 1)] });
    while (await memory.release());
    expect(memory.commits).toEqual([['a1'], ['b1', 'a1']]);
    expect(await first).toMatchObject({ raised: 1 });
    expect(await second).toMatchObject({ repeated: 1, duplicate: 0 });
    expect(await third).toMatchObject({ raised: 0, duplicate: 1 });
  });

  it('commits at most maxEventsPerCommit events together, but never splits a batch', async () => {
    const memory = memoryStore();
    const { process } = processor(memory.store, 3);
    const batches = [
      [event('a', 'k', 1)],
      [event('b', 'k', 2), event('c', 'k', 3)],
      [event('d', 'k', 4)],
      [event('e', 'k', 5), event('f', 'k', 6), event('g', 'k', 7), event('h', 'k', 8)],
    ].map((events) => process({ events }));
    while (await memory.release());
    await Promise.all(batches);
    expect(memory.commits).toEqual([['a'], ['b', 'c', 'd'], ['e', 'f', 'g', 'h']]);
  });

  it('fails every batch of a failed commit, and goes on with the next ones', async () => {
    const memory = memoryStore({ failCommits: new Set([1]) });
    const { process } = processor(memory.store);
    const first = process({ events: [event('a', 'k', 1)] });
    const second = process({ events: [event('b', 'k', 2)] });
    const third = process({ events: [event('c', 'k', 3)] });
    const failed = [second, third].map((p) => p.catch((error: unknown) => error));
    await memory.release();
    await memory.release();
    const fourth = process({ events: [event('d', 'k', 4)] });
    while (await memory.release());
    expect(await first).toMatchObject({ raised: 1 });
    for (const outcome of await Promise.all(failed)) {
      expect(outcome).toBeInstanceOf(Error);
    }
    expect(await fourth).toMatchObject({ repeated: 1 });
    expect(memory.counts()).toEqual(new Map([['k', 2]]));
  });

  it('gives every key the count of the events of its batches, each batch once, however batches are redelivered and grouped', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Distinct batches of (key) events, then deliveries naming a batch each (redeliveries).
        fc.array(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 6 }), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 10 }),
        fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
        fc.integer({ min: 1, max: 12 }),
        async (batches, deliveries, releaseAfter, maxEvents) => {
          const memory = memoryStore();
          const { process } = processor(memory.store, maxEvents);
          const jobs: Promise<unknown>[] = [];
          const delivered = new Set<number>();
          for (const [index, pick] of deliveries.entries()) {
            const batch = pick % batches.length;
            delivered.add(batch);
            const events = (batches[batch] ?? []).map((key, at) =>
              event(`b${String(batch)}-${String(at)}`, `k${String(key)}`, at),
            );
            jobs.push(process({ events }));
            if (releaseAfter[index] === true) await memory.release();
          }
          while (await memory.release());
          await Promise.all(jobs);
          const expected = new Map<string, number>();
          for (const batch of delivered) {
            for (const key of batches[batch] ?? [])
              expected.set(`k${String(key)}`, (expected.get(`k${String(key)}`) ?? 0) + 1);
          }
          expect(memory.counts()).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});
