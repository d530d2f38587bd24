import { describe, expect, it } from 'vitest';
import { isRunning, progressText, type DiscoveryView } from './admin-discovery.js';

const progress = {
  runId: 'r1',
  trigger: 'requested' as const,
  startedAt: '2026-12-07T04:00:00.000Z',
  finishedAt: null,
  total: 1024,
  probed: 120,
  found: 97,
  failed: 0,
};

describe('discovery on the admin page', () => {
  it.each<
    [
      string,
      typeof progress | (Omit<typeof progress, 'finishedAt'> & { finishedAt: string }),
      string,
    ]
  >([
    [
      'a run under way',
      progress,
      'running (requested): probed 120 of 1,024 addresses, 97 devices found',
    ],
    [
      'a finished run with failures',
      { ...progress, finishedAt: '2026-12-07T04:01:00.000Z', failed: 2 },
      'finished (requested): probed 120 of 1,024 addresses, 97 devices found, 2 failed',
    ],
  ])('says %s', (_, value, text) => {
    expect(progressText(value)).toBe(text);
  });

  it('keeps reading while a run is under way only', () => {
    const view = (finishedAt: string | null): DiscoveryView => ({
      configured: true,
      progress: { ...progress, finishedAt },
      run: null,
      proposal: [],
      approved: null,
    });
    expect(isRunning(view(null))).toBe(true);
    expect(isRunning(view('2026-12-07T04:01:00.000Z'))).toBe(false);
    expect(isRunning(null)).toBe(false);
  });
});
