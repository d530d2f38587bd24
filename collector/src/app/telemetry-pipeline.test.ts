import { createLogger } from '@faultline/shared';
import { describe, expect, it } from 'vitest';
import { createInventory } from '../core/inventory.js';
import type { TelemetryPoint } from '../core/telemetry-message.js';
import { testInventoryConfig } from '../core/testing/fixtures.js';
import type { DeadLetter } from '../ports.js';
import { createTelemetryPipeline } from './telemetry-pipeline.js';

function setUp(deadLetterFails = false) {
  const written: TelemetryPoint[] = [];
  const letters: DeadLetter[] = [];
  const observed: TelemetryPoint[] = [];
  const pipeline = createTelemetryPipeline({
    inventory: createInventory(testInventoryConfig()),
    writer: {
      writeTelemetry: (points) => {
        written.push(...points);
      },
    },
    deadLetters: {
      push: (letter) => {
        if (deadLetterFails) return Promise.reject(new Error('redis down'));
        letters.push(letter);
        return Promise.resolve();
      },
    },
    maxPayloadBytes: 5000,
    logger: createLogger({ level: 'silent' }),
    clock: () => 1_700_000_000_000,
    onPoints: (points) => {
      observed.push(...points);
    },
  });
  return { pipeline, written, letters, observed };
}

describe('createTelemetryPipeline', () => {
  it('writes valid readings before the message may be acknowledged, then shows them to rules', async () => {
    const { pipeline, written, observed } = setUp();
    const handled = pipeline.handle(
      'telemetry/core-1/cpu_percent',
      Buffer.from('{"device":"core-1","metric":"cpu_percent","value":7}'),
    );
    // Written synchronously: the point is in the writer's buffer before the ack can happen.
    expect(written).toHaveLength(1);
    await handled;
    expect(observed).toEqual(written);
    expect(pipeline.counters).toMatchObject({ messages: 1, points: 1, deadLettered: 0 });
  });

  it('counts, dead-letters and truncates invalid messages, without writing them', async () => {
    const { pipeline, written, letters } = setUp();
    await pipeline.handle('t/a', Buffer.from('{"device":"nope","metric":"x","value":1}'));
    const big = `cpu,device=core-1 value=1 ${'9'.repeat(4100)}`;
    await pipeline.handle('t/b', Buffer.from(big));
    expect(written).toEqual([]);
    expect(
      letters.map((l) => [l.topic, l.reason, l.payloadBytes, l.truncated, l.payload.length]),
    ).toEqual([
      ['t/a', 'unknown-device', 40, false, 40],
      ['t/b', 'bad-line-protocol', big.length, true, 4096],
    ]);
    expect(pipeline.invalid).toMatchObject({ 'unknown-device': 1, 'bad-line-protocol': 1 });
    expect(pipeline.counters).toMatchObject({ messages: 2, points: 0, deadLettered: 2 });
  });

  it('still resolves (so the message is acknowledged) when the dead-letter list is down', async () => {
    const { pipeline } = setUp(true);
    await expect(pipeline.handle('t/c', Buffer.from('garbage'))).resolves.toBeUndefined();
    expect(pipeline.counters).toMatchObject({ deadLettered: 0, deadLetterErrors: 1 });
  });
});
