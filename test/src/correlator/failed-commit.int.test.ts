import { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eventsPartitionQueue } from '@faultline/shared';
import { createCorrelatorHarness, linkDown, type CorrelatorHarness } from './correlator-harness.js';
import { EVENTUALLY } from '../support/services.js';

const KEY = 'linkDown:core-1:ifIndex=3';
const at = (second: number) => ({ timeMs: Date.UTC(2026, 0, 1, 12, 0, second) });

describe('a commit that fails while the partition owner keeps its alarms in memory', () => {
  let h: CorrelatorHarness;
  let partition: Queue;

  beforeEach(async () => {
    h = await createCorrelatorHarness();
    // The example config has one partition: every key is partition 0's.
    partition = new Queue(eventsPartitionQueue(0), {
      connection: h.redis,
      prefix: h.settings.prefix,
    });
  });

  afterEach(async () => {
    await h.db.query('ALTER TABLE alarms DROP CONSTRAINT IF EXISTS test_no_third_event');
    await partition.close();
    await h.close();
  });

  it('takes nothing of the failed attempt: its retry and the next event count exactly', async () => {
    await h.startCorrelator();
    await h.waitForJob(await h.addBatch([linkDown('e1', at(0))]));
    await h.waitForJob(await h.addBatch([linkDown('e2', at(1))]));
    // The next update of the alarm fails inside its transaction (PostgreSQL refuses the row)
    // until the constraint goes, after the partition's job failed once and waits for its retry.
    await h.db.query(
      'ALTER TABLE alarms ADD CONSTRAINT test_no_third_event CHECK (count < 3) NOT VALID',
    );
    const retried = await h.addBatch([linkDown('e3', at(2))]);
    await vi.waitFor(async () => {
      const jobs = await partition.getJobs(['delayed', 'waiting', 'active']);
      expect(jobs.some((job) => job.attemptsMade > 0)).toBe(true);
    }, EVENTUALLY);
    await h.db.query('ALTER TABLE alarms DROP CONSTRAINT test_no_third_event');
    expect(await h.waitForJob(retried)).toBe('completed');

    expect(await h.waitForJob(await h.addBatch([linkDown('e4', at(3))]))).toBe('completed');
    expect(await h.alarms()).toMatchObject([
      { reduction_key: KEY, state: 'active', count: 4, last_event_id: 'e4' },
    ]);
    expect((await h.openAlarmsHash())[KEY]).toMatchObject({ count: 4, lastEventId: 'e4' });
  });
});
