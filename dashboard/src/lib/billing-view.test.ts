import { describe, expect, it } from 'vitest';
import {
  attachmentName,
  formatBps,
  lineCoverage,
  linesByService,
  outageLink,
  percentile95Evidence,
  runTotals,
  sumDecimals,
  type BillingRun,
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

describe('sumDecimals', () => {
  it.each([
    [['1200.50', '-312.50'], '888.00'],
    [['0.1', '0.2'], '0.3'],
    [['-0.05', '0.01'], '-0.04'],
    [['1000', '0.125'], '1000.125'],
    [[], '0'],
  ])('%o → %s', (values, total) => {
    expect(sumDecimals(values)).toBe(total);
  });

  it('refuses what is not a decimal', () => {
    expect(() => sumDecimals(['1e3'])).toThrow('not a decimal: 1e3');
  });
});

describe('runTotals', () => {
  it('adds the versions of a period per currency, credits apart', () => {
    const run = (currency: string, totalBilled: string, totalCredits: string) =>
      ({ currency, totalBilled, totalCredits }) as BillingRun;
    expect(
      runTotals([
        run('EUR', '1000.00', '-100.00'),
        run('USD', '50.00', '0'),
        run('EUR', '-312.50', '-312.50'),
      ]),
    ).toEqual([
      { currency: 'EUR', billed: '687.50', credits: '-412.50' },
      { currency: 'USD', billed: '50.00', credits: '0' },
    ]);
  });
});

describe('outageLink', () => {
  it.each([
    [{ incidentId: 'inc/1' }, '/incidents/inc%2F1'],
    [{ incidentId: null, claimId: '3' }, null],
    [{}, null],
  ])('%o → %s', (extra, link) => {
    const outage = { id: '1', ticketId: 'T-1', start: '', end: null, counted: true, ...extra };
    expect(outageLink(outage)).toBe(link);
  });
});

describe('percentile95Evidence', () => {
  it("reads a re-run adjustment's recomputed 95th, and nothing from a plain manual line", () => {
    const recomputed = {
      kind: 'percentile95',
      direction: 'in',
      sampleCount: 12,
      droppedCount: 0,
      rank: 12,
      percentileBps: 5_000_000,
      commitMbps: '1',
    };
    expect(percentile95Evidence({ kind: 'manual', reason: 'r', recomputed })).toMatchObject({
      rank: 12,
      sampleCount: 12,
      commitBps: 1_000_000,
    });
    expect(percentile95Evidence({ kind: 'manual', reason: 'r' })).toBeUndefined();
  });

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
