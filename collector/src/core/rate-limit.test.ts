import { describe, expect, it } from 'vitest';
import { rateLimitStep, type RateLimitEntry } from './rate-limit.js';

describe('rateLimitStep', () => {
  it('lets one through per interval and reports what it held back', () => {
    const timeline: [number, string][] = [
      [0, 'allow:0'],
      [10, 'suppress'],
      [999, 'suppress'],
      [1000, 'allow:2'],
      [1500, 'suppress'],
      [5000, 'allow:1'],
      [6000, 'allow:0'],
    ];
    let entry: RateLimitEntry | undefined;
    for (const [nowMs, want] of timeline) {
      const step = rateLimitStep(entry, nowMs, 1000);
      entry = step.entry;
      const got =
        step.decision.kind === 'allow' ? `allow:${step.decision.suppressedBefore}` : 'suppress';
      expect([nowMs, got]).toEqual([nowMs, want]);
    }
  });
});
