import { createLogger, type FaultEvent } from '@faultline/shared';
import { describe, expect, it, vi } from 'vitest';
import { createInfluxLossReporter } from './influx-loss-reporter.js';

describe('createInfluxLossReporter', () => {
  it('reports the first loss at once and sums later ones into one event per interval', async () => {
    let nowMs = 0;
    const sent: FaultEvent[] = [];
    let ids = 0;
    const reporter = createInfluxLossReporter({
      sink: { enqueue: (event) => sent.push(event) > 0, close: () => Promise.resolve() },
      clock: () => nowMs,
      newId: () => `loss-${String(++ids)}`,
      server: '127.0.0.1:8086',
      database: 'faultline',
      logger: createLogger({ level: 'silent' }),
      intervalMs: 50,
    });
    reporter.lost(3, 'retry buffer full');
    expect(sent).toHaveLength(1);
    nowMs = 10;
    reporter.lost(2, 'retry buffer full');
    nowMs = 20;
    reporter.lost(4, 'retries exhausted');
    expect(sent).toHaveLength(1);
    await vi.waitFor(() => {
      expect(sent).toHaveLength(2);
    });
    nowMs = 30;
    reporter.lost(1, 'rejected by server');
    reporter.stop();
    expect(
      sent.map((e) => [
        e.timeMs,
        e.details.lostPoints,
        e.details.totalLostPoints,
        e.details.reasons,
      ]),
    ).toEqual([
      [0, 3, 3, ['retry buffer full']],
      [20, 6, 9, ['retry buffer full', 'retries exhausted']],
      [30, 1, 10, ['rejected by server']],
    ]);
    expect(sent[0]).toMatchObject({
      source: 'system',
      type: 'influxWriteLoss',
      device: '127.0.0.1:8086',
      deviceKnown: false,
      reductionKey: 'influxWriteLoss:127.0.0.1:8086',
      severity: 'major',
    });
    expect(reporter.counters).toEqual({ events: 3, lostPoints: 10 });
  });
});
