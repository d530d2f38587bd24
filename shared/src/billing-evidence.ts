/**
 * The sorted 5-minute rates a 95th-percentile line was billed from, as its evidence carries them
 * (`evidence.sortedRates` of an `overage` line of a `percentile95` plan, docs/billing.md): the
 * billing bridge writes it, the billing desk draws it. Pure, no schema compiler: the dashboard
 * imports it by subpath (`@faultline/shared/billing-evidence`).
 *
 * A month has up to 8,928 rates; a chart a few hundred pixels wide shows no more than a few
 * hundred points, and the full series as JSON would be about 87 KB per line (whole bits per second)
 * against about 6 KB for 400 points. So the curve is kept at evenly spaced ranks, plus the billed
 * rank and the one after it, where the highest 5 % start being dropped; the raw samples stay in
 * InfluxDB.
 */
import { Type, type Static } from '@sinclair/typebox';

/** At most this many evenly spaced ranks (plus the billed rank and the next one). */
export const SORTED_RATES_MAX_POINTS = 400;

/**
 * Points of the ascending sorted rates: `ratesBps[i]` is the rate at 1-based rank `ranks[i]`, in
 * whole bits per second (rounded half up, as the billed value is). Ranks strictly increase, from 1
 * to the sample count, and include the billed rank.
 */
export const SortedRatesSchema = Type.Object(
  {
    ranks: Type.Array(Type.Integer({ minimum: 1 })),
    ratesBps: Type.Array(Type.Number({ minimum: 0 })),
  },
  { additionalProperties: false },
);

/** Points of the sorted rates of a 95th-percentile line. */
export type SortedRates = Static<typeof SortedRatesSchema>;

/**
 * The curve of `sortedBps` (ascending, non-negative, not empty) for evidence: at most
 * `maxPoints` evenly spaced ranks from 1 to the sample count, plus `billedRank` and the rank after
 * it.
 */
export function sortedRatesCurve(
  sortedBps: ArrayLike<number>,
  billedRank: number,
  maxPoints: number = SORTED_RATES_MAX_POINTS,
): SortedRates {
  const count = sortedBps.length;
  const wanted = new Set<number>([billedRank, Math.min(billedRank + 1, count)]);
  const points = Math.min(count, Math.max(2, maxPoints));
  for (let i = 0; i < points; i++) {
    wanted.add(points === 1 ? 1 : 1 + Math.round((i * (count - 1)) / (points - 1)));
  }
  const ranks = [...wanted].filter((rank) => rank >= 1 && rank <= count).sort((a, b) => a - b);
  return { ranks, ratesBps: ranks.map((rank) => Math.round(sortedBps[rank - 1] ?? 0)) };
}

/**
 * The sorted rates of stored evidence, or null when absent or malformed (unequal lengths, ranks
 * not strictly increasing positive integers, rates not finite and non-negative).
 */
export function readSortedRates(value: unknown): SortedRates | null {
  if (typeof value !== 'object' || value === null) return null;
  const { ranks, ratesBps } = value as Record<string, unknown>;
  if (!Array.isArray(ranks) || !Array.isArray(ratesBps)) return null;
  if (ranks.length === 0 || ranks.length !== ratesBps.length) return null;
  let previous = 0;
  for (const rank of ranks) {
    if (typeof rank !== 'number' || !Number.isInteger(rank) || rank <= previous) return null;
    previous = rank;
  }
  for (const rate of ratesBps) {
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) return null;
  }
  return { ranks: ranks as number[], ratesBps: ratesBps as number[] };
}
