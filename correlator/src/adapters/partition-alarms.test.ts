import { describe, expect, it } from 'vitest';
import { faultEvent } from '../core/fault-event.fixture.js';
import { reduceAlarms, type AlarmRecord, type OpenAlarms } from '../core/alarm-reducer.js';
import { createPartitionAlarms, type PartitionAlarms } from './partition-alarms.js';

const KEY = 'k';

function reduce(open: OpenAlarms, ids: readonly string[]) {
  let next = 0;
  return reduceAlarms(
    open,
    { events: ids.map((id, index) => faultEvent(id, 1_000 + index)) },
    { newAlarmId: () => `alarm-${String(++next)}` },
  );
}

/** A memory at version 1 holding one alarm of KEY counted once, as a first commit leaves it. */
async function rememberingOne(): Promise<PartitionAlarms> {
  const memory = createPartitionAlarms();
  const reduced = reduce(new Map(), ['e1']);
  await memory.apply(() =>
    Promise.resolve({
      version: 1,
      loaded: new Map<string, AlarmRecord>(),
      keys: [KEY],
      open: reduced.open,
      result: undefined,
    }),
  );
  return memory;
}

describe('partition alarms in memory', () => {
  it('is loaded by its first commit, then used while the version follows its own commits', async () => {
    const memory = createPartitionAlarms();
    expect(memory.at(0)).toBeUndefined();
    const remembered = await rememberingOne();
    expect(remembered.at(1)?.get(KEY)?.alarm.count).toBe(1);
    // Another process wrote the partition (version 2 taken): the next commit finds version 3.
    expect(remembered.at(2)).toBeUndefined();
  });

  it('takes nothing of a commit that failed, and has the next one load the partition', async () => {
    const memory = await rememberingOne();
    const failed = memory.apply(() => {
      const open = memory.at(1);
      if (open === undefined) throw new Error('memory not at version 1');
      const reduced = reduce(open, ['e2', 'e3']);
      expect(reduced.open.get(KEY)?.alarm.count).toBe(3);
      // The transaction fails after the reduction (say its COMMIT, whose outcome is unknown).
      return Promise.reject(new Error('connection lost at COMMIT'));
    });
    await expect(failed).rejects.toThrow('connection lost at COMMIT');
    // Neither the alarms as reduced nor the version: the next commit reads PostgreSQL again.
    expect(memory.at(1)).toBeUndefined();
    expect(memory.at(2)).toBeUndefined();

    // The next commit loads the partition as PostgreSQL kept it: counted once.
    const loaded = new Map<string, AlarmRecord>(reduce(new Map(), ['e1']).open);
    const reduced = reduce(loaded, ['e4']);
    await memory.apply(() =>
      Promise.resolve({ version: 2, loaded, keys: [KEY], open: reduced.open, result: undefined }),
    );
    expect(memory.at(2)?.get(KEY)?.alarm.count).toBe(2);
  });

  it('takes a committed clear by forgetting the key, and forgets everything when dropped', async () => {
    const memory = await rememberingOne();
    await memory.apply(() =>
      Promise.resolve({ version: 2, keys: [KEY], open: new Map(), result: undefined }),
    );
    expect(memory.at(2)?.has(KEY)).toBe(false);
    memory.drop();
    expect(memory.at(2)).toBeUndefined();
  });
});
