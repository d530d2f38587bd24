import { describe, expect, it } from 'vitest';
import {
  attachmentName,
  formatBps,
  lineCoverage,
  linesByService,
  percentile95Evidence,
  type BillingLine,
} from './billing-view.js';

describe('formatBps', () => {
  it.each([
    [null, '—'],
    [800, '800 bps'],
    [1500, '1.5 kbps'],
    [245_300_000, '245.3 Mbps'],
    [1_200_000_000, '1.2 Gbps'],
  ])('%s → %s', (bps, text) => {
    expect(formatBps(bps)).toBe(text);
  });
});

describe('percentile95Evidence', () => {
  it('reads the rank fields and commit of a 95th line without sorted rates', () => {
    expect(
      percentile95Evidence({
        kind: 'percentile95',
        direction: 'max',
        sampleCount: 8634,
        droppedCount: 431,
        rank: 8203,
        percentileBps: 900_000_000,
        commitMbps: '200',
      }),
    ).toEqual({
      direction: 'max',
      sampleCount: 8634,
      droppedCount: 431,
      rank: 8203,
      percentileBps: 900_000_000,
      commitBps: 200_000_000,
      sortedRates: null,
    });
  });

  it.each([[null], [{ kind: 'volume' }], ['text'], [[1, 2]]])('ignores %j', (evidence) => {
    expect(percentile95Evidence(evidence)).toBeUndefined();
  });

  it('keeps sorted rates only when they are well formed', () => {
    const base = { kind: 'percentile95', sampleCount: 2, droppedCount: 0, rank: 2 };
    const sortedRates = { ranks: [1, 2], ratesBps: [1, 2] };
    expect(percentile95Evidence({ ...base, sortedRates })?.sortedRates).toEqual(sortedRates);
    expect(
      percentile95Evidence({ ...base, sortedRates: { ranks: [1, 2], ratesBps: [1, 'x'] } })
        ?.sortedRates,
    ).toBeNull();
  });
});

describe('lineCoverage', () => {
  it('reads buckets, gaps, resets and quarantined', () => {
    expect(
      lineCoverage({
        expectedBuckets: 8640,
        observedBuckets: 8634,
        gapMs: 1_800_000,
        gapMinutes: 30,
        resets: 1,
        quarantined: 0,
      }),
    ).toEqual({
      expectedBuckets: 8640,
      observedBuckets: 8634,
      gapMinutes: 30,
      resets: 1,
      quarantined: 0,
    });
  });
  it.each([[null], [{}], [{ expectedBuckets: 1 }]])('no coverage in %j', (coverage) => {
    expect(lineCoverage(coverage)).toBeUndefined();
  });
});

describe('attachmentName', () => {
  it.each([
    ['attachment; filename="billing-acme-2026-04-v1.csv"', 'billing-acme-2026-04-v1.csv'],
    [null, 'fallback.csv'],
    ['attachment', 'fallback.csv'],
  ])('%s → %s', (header, name) => {
    expect(attachmentName(header, 'fallback.csv')).toBe(name);
  });
});

describe('linesByService', () => {
  it('groups lines by service in line order', () => {
    const line = (lineNo: number, serviceId: string) =>
      ({ lineNo, serviceId }) as unknown as BillingLine;
    expect(
      linesByService([line(3, 'a'), line(1, 'a'), line(2, 'b')]).map(([service, lines]) => [
        service,
        lines.map((l) => l.lineNo),
      ]),
    ).toEqual([
      ['a', [1, 3]],
      ['b', [2]],
    ]);
  });
});
