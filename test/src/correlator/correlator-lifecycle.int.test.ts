import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAlarmStorePg, createPostgresPool } from '@faultline/correlator';
import { createLogger, hotStateKeys } from '@faultline/shared';
import {
  createCorrelatorHarness,
  linkDown,
  linkUp,
  type CorrelatorHarness,
} from './correlator-harness.js';
import { EVENTUALLY } from '../support/services.js';

describe('correlator lifecycle and hot state', () => {
  let h: CorrelatorHarness;

  beforeEach(async () => {
    h = await createCorrelatorHarness();
  });

  afterEach(async () => {
    await h.close();
  });

  it('finishes the batches in flight when stopped, and a new instance takes the rest', async () => {
    const first = await h.startCorrelator(4);
    const jobs = await Promise.all(
      Array.from({ length: 30 }, (_, job) =>
        h.addBatch(
          Array.from({ length: 5 }, (_, index) =>
            linkDown(`j${String(job)}-${String(index)}`, {
              reductionKey: `linkDown:core-1:ifIndex=${String(job * 5 + index)}`,
            }),
          ),
        ),
      ),
    );
    await vi.waitFor(
      async () => {
        expect(await h.queue.getCompletedCount()).toBeGreaterThan(0);
      },
      { timeout: 20_000, interval: 10 },
    );
    await first.stop();

    // Nothing was abandoned mid-batch: no job is left active, and every completed job's events
    // are all recorded (none half-applied; each event has a key of its own).
    expect(await h.queue.getActiveCount()).toBe(0);
    const completed = await h.queue.getCompletedCount();
    expect(await h.alarms()).toHaveLength(completed * 5);

    await h.startCorrelator(4);
    const states = await Promise.all(jobs.map((job) => h.waitForJob(job)));
    expect(states.every((state) => state === 'completed')).toBe(true);
    expect(await h.alarms()).toHaveLength(150);
    expect(Object.keys(await h.openAlarmsHash())).toHaveLength(150);
  });

  it('repairs the Redis mirror when a batch is redelivered', async () => {
    await h.startCorrelator();
    await h.waitForJob(await h.addBatch([linkDown('e1')]));
    await h.redis.del(hotStateKeys(h.settings.prefix).openAlarms);

    const again = await h.addBatch([linkDown('e1')]);
    expect(await h.waitForJob(again)).toBe('completed');
    expect(await h.openAlarmsHash()).toMatchObject({
      'linkDown:core-1:ifIndex=3': { count: 1, lastEventId: 'e1' },
    });
    // The redelivery changed no alarm, so it published nothing: the next change follows 'raised'.
    await h.waitForJob(await h.addBatch([linkDown('e2')]));
    await vi.waitFor(() => {
      expect(h.changes.map((change) => change.kind)).toEqual(['raised', 'repeated']);
    }, EVENTUALLY);
  });

  it('lists alarms by state, newest first, and reads one by id', async () => {
    await h.startCorrelator();
    const at = (minute: number) => Date.UTC(2026, 0, 1, 12, minute);
    const job = await h.addBatch([
      linkDown('a', { reductionKey: 'k-a', timeMs: at(1) }),
      linkDown('b', { reductionKey: 'k-b', timeMs: at(2) }),
      linkDown('c', { reductionKey: 'k-c', timeMs: at(3) }),
      linkUp('up-a', { clearKey: 'k-a', timeMs: at(4) }),
    ]);
    expect(await h.waitForJob(job)).toBe('completed');

    const pool = createPostgresPool({
      databaseUrl: h.settings.databaseUrl,
      maxConnections: 2,
      logger: createLogger({ level: 'silent' }),
    });
    try {
      const store = createAlarmStorePg({ pool, newAlarmId: randomUUID });
      const keys = async (state: 'active' | 'acknowledged' | 'cleared' | 'all', limit = 10) =>
        (await store.listAlarms({ state, limit })).map((alarm) => alarm.reductionKey);
      expect(await keys('active')).toEqual(['k-c', 'k-b']);
      expect(await keys('cleared')).toEqual(['k-a']);
      expect(await keys('acknowledged')).toEqual([]);
      expect(await keys('all')).toEqual(['k-c', 'k-b', 'k-a']);
      expect(await keys('all', 1)).toEqual(['k-c']);

      const [newest] = await store.listAlarms({ state: 'active', limit: 1 });
      expect(newest).toBeDefined();
      expect(await store.getAlarm(newest?.id ?? '')).toEqual(newest);
      expect(await store.getAlarm(randomUUID())).toBeUndefined();
      expect(await store.getAlarm('not-a-uuid')).toBeUndefined();
    } finally {
      await pool.end();
    }
  });
});
