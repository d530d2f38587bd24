/**
 * The usage ledger in PostgreSQL (tables of migration billing_003_usage_buckets): a row of
 * buckets per series and UTC day, patched in place as readings arrive, the no-rate intervals,
 * and each series' baseline and open bucket. A step is one transaction that also moves the
 * follower's cursor, so a bridge killed mid-step leaves nothing half-counted: the next one
 * redoes the step from the same cursor.
 */
import { endianness } from 'node:os';
import type pg from 'pg';
import {
  BUCKET_MS,
  bucketCount,
  bucketRate,
  seriesKey,
  type LedgerBucket,
  type LedgerInterval,
  type LedgerSeries,
} from '../core/index.js';
import type { SeriesId, UsageLedgerStore } from '../ports.js';

const DAY_MS = 86_400_000;
const BUCKETS_PER_DAY = DAY_MS / BUCKET_MS;

/**
 * A day row holds five columns of 288 buckets each, little-endian: rate in and rate out
 * (float64, NaN: not observed), octets in and octets out (uint64), covered ms (uint32). Columns,
 * not records: a period is read back by copying typed arrays, with nothing to decode.
 */
const COLUMNS = [
  { at: 0, width: 8 },
  { at: 8 * BUCKETS_PER_DAY, width: 8 },
  { at: 16 * BUCKETS_PER_DAY, width: 8 },
  { at: 24 * BUCKETS_PER_DAY, width: 8 },
  { at: 32 * BUCKETS_PER_DAY, width: 4 },
] as const;
const DAY_BYTES = 36 * BUCKETS_PER_DAY;

// Typed arrays read and write in the machine's byte order; the rows are little-endian.
if (endianness() !== 'LE') throw new Error('the usage ledger needs a little-endian machine');

/** Typed views of a day row's columns (over a copy when the row is not 8-byte aligned). */
function dayColumns(row: Uint8Array) {
  const bytes = row.byteOffset % 8 === 0 ? row : new Uint8Array(row);
  const at = (index: 0 | 1 | 2 | 3 | 4): number => bytes.byteOffset + COLUMNS[index].at;
  return {
    inBps: new Float64Array(bytes.buffer, at(0), BUCKETS_PER_DAY),
    outBps: new Float64Array(bytes.buffer, at(1), BUCKETS_PER_DAY),
    inOctets: new BigUint64Array(bytes.buffer, at(2), BUCKETS_PER_DAY),
    outOctets: new BigUint64Array(bytes.buffer, at(3), BUCKETS_PER_DAY),
    coveredMs: new Uint32Array(bytes.buffer, at(4), BUCKETS_PER_DAY),
  };
}

/** A day of buckets, none observed. */
function emptyDay(): Uint8Array {
  const day = new Uint8Array(DAY_BYTES);
  const columns = dayColumns(day);
  columns.inBps.fill(Number.NaN);
  columns.outBps.fill(Number.NaN);
  return day;
}

const EMPTY_DAY = emptyDay();

/** One patch of a day row: buckets first..last of each column. */
interface DayPatch {
  readonly device: string;
  readonly iface: string;
  readonly dayMs: number;
  readonly first: number;
  readonly last: number;
  /** The whole day: the empty day with the patch written (what a new row holds). */
  readonly day: Buffer;
}

/** A series' touched buckets as one patch per day (untouched buckets between them stay empty). */
function dayPatches(series: SeriesId, buckets: readonly LedgerBucket[]): DayPatch[] {
  const byDay = new Map<number, LedgerBucket[]>();
  for (const bucket of buckets) {
    const dayMs = Math.floor(bucket.startMs / DAY_MS) * DAY_MS;
    const day = byDay.get(dayMs) ?? [];
    day.push(bucket);
    byDay.set(dayMs, day);
  }
  return [...byDay].map(([dayMs, inDay]) => {
    const day = new Uint8Array(EMPTY_DAY);
    const columns = dayColumns(day);
    let first = BUCKETS_PER_DAY;
    let last = -1;
    for (const bucket of inDay) {
      const index = (bucket.startMs - dayMs) / BUCKET_MS;
      first = Math.min(first, index);
      last = Math.max(last, index);
      columns.inBps[index] = bucketRate(bucket.inWeighted, bucket.coveredMs);
      columns.outBps[index] = bucketRate(bucket.outWeighted, bucket.coveredMs);
      columns.inOctets[index] = bucket.inOctets;
      columns.outOctets[index] = bucket.outOctets;
      columns.coveredMs[index] = bucket.coveredMs;
    }
    const whole = Buffer.from(day.buffer, day.byteOffset, day.byteLength);
    return { device: series.device, iface: series.iface, dayMs, first, last, day: whole };
  });
}

/** The unnest columns of new days: device, interface, day, bytes. */
function dayColumnsOf(patches: readonly DayPatch[]): unknown[] {
  return [
    patches.map((patch) => patch.device),
    patches.map((patch) => patch.iface),
    patches.map((patch) => patch.dayMs),
    patches.map((patch) => patch.day),
  ];
}

/** The unnest columns of patches: device, interface, day, then each column's bytes and offset. */
function patchColumns(patches: readonly DayPatch[]): unknown[] {
  return [
    ...dayColumnsOf(patches).slice(0, 3),
    ...COLUMNS.flatMap(({ at, width }) => [
      patches.map((patch) =>
        patch.day.subarray(at + patch.first * width, at + (patch.last + 1) * width),
      ),
      // overlay counts from 1.
      patches.map((patch) => at + patch.first * width + 1),
    ]),
  ];
}

interface SeriesRow {
  device: string;
  interface: string;
  last_time_ms: string | null;
  last_in_octets: string | null;
  last_out_octets: string | null;
  open_start_ms: string | null;
  open_in_weighted: number | null;
  open_out_weighted: number | null;
  open_covered_ms: number | null;
  open_in_octets: string | null;
  open_out_octets: string | null;
}

function seriesFromRow(row: SeriesRow): LedgerSeries {
  return {
    baseline:
      row.last_time_ms === null
        ? null
        : {
            timeMs: Number(row.last_time_ms),
            inOctets: BigInt(row.last_in_octets ?? 0),
            outOctets: BigInt(row.last_out_octets ?? 0),
          },
    open:
      row.open_start_ms === null
        ? null
        : {
            startMs: Number(row.open_start_ms),
            inWeighted: row.open_in_weighted ?? 0,
            outWeighted: row.open_out_weighted ?? 0,
            coveredMs: row.open_covered_ms ?? 0,
            inOctets: BigInt(row.open_in_octets ?? 0),
            outOctets: BigInt(row.open_out_octets ?? 0),
          },
  };
}

const LOCK_CURSOR = 'SELECT followed_to_ms FROM billing_usage_follow FOR UPDATE';

const SERIES_STATES = `
  SELECT s.device, s.interface, s.last_time_ms, s.last_in_octets::text, s.last_out_octets::text,
    s.open_start_ms, s.open_in_weighted, s.open_out_weighted, s.open_covered_ms,
    s.open_in_octets::text, s.open_out_octets::text
  FROM billing_usage_series s
  JOIN unnest($1::text[], $2::text[]) AS u(device, interface)
    ON s.device = u.device AND s.interface = u.interface`;

/** New days are written whole; those that exist are patched column by column. */
const INSERT_DAYS = `
  INSERT INTO billing_usage_days (device, interface, day_ms, buckets)
  SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bytea[])
  ON CONFLICT DO NOTHING
  RETURNING device, interface, day_ms`;

const PATCH_DAYS = `
  UPDATE billing_usage_days d SET buckets =
    overlay(overlay(overlay(overlay(overlay(d.buckets
      PLACING u.b0 FROM u.at0) PLACING u.b1 FROM u.at1) PLACING u.b2 FROM u.at2)
      PLACING u.b3 FROM u.at3) PLACING u.b4 FROM u.at4)
  FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bytea[], $5::int[], $6::bytea[],
    $7::int[], $8::bytea[], $9::int[], $10::bytea[], $11::int[], $12::bytea[], $13::int[])
    AS u(device, interface, day_ms, b0, at0, b1, at1, b2, at2, b3, at3, b4, at4)
  WHERE d.device = u.device AND d.interface = u.interface AND d.day_ms = u.day_ms`;

const INSERT_INTERVALS = `
  INSERT INTO billing_usage_intervals (device, interface, start_ms, end_ms, kind, in_octets,
    out_octets)
  SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[],
    $6::numeric[], $7::numeric[])
  ON CONFLICT DO NOTHING`;

const UPDATE_SERIES = `
  UPDATE billing_usage_series s SET last_time_ms = u.last_time_ms,
    last_in_octets = u.last_in_octets, last_out_octets = u.last_out_octets,
    open_start_ms = u.open_start_ms, open_in_weighted = u.open_in_weighted,
    open_out_weighted = u.open_out_weighted, open_covered_ms = u.open_covered_ms,
    open_in_octets = u.open_in_octets, open_out_octets = u.open_out_octets
  FROM unnest($1::text[], $2::text[], $3::bigint[], $4::numeric[], $5::numeric[], $6::bigint[],
    $7::float8[], $8::float8[], $9::float8[], $10::numeric[], $11::numeric[])
    AS u(device, interface, last_time_ms, last_in_octets, last_out_octets, open_start_ms,
      open_in_weighted, open_out_weighted, open_covered_ms, open_in_octets, open_out_octets)
  WHERE s.device = u.device AND s.interface = u.interface`;

/**
 * A period of one series in one statement (one snapshot: the extent and the buckets agree even
 * while a window is applied), in one round trip. Days come as base64: node-pg reads every field
 * as UTF-8 text (its binary mode mangles bytes), and base64 is a third shorter than bytea's hex,
 * with half the CPU on both sides.
 */
const PERIOD = `
  SELECT
    (SELECT json_build_object('from', s.followed_from_ms, 'last', s.last_time_ms,
       'to', f.followed_to_ms)
     FROM billing_usage_series s CROSS JOIN billing_usage_follow f
     WHERE s.device = $1 AND s.interface = $2) AS extent,
    (SELECT coalesce(json_agg(json_build_object('day', day_ms,
       'buckets', encode(buckets, 'base64'))), '[]')
     FROM billing_usage_days
     WHERE device = $1 AND interface = $2 AND day_ms >= $3 AND day_ms < $4) AS days,
    (SELECT coalesce(json_agg(json_build_object('start', start_ms, 'end', end_ms, 'kind', kind,
       'in', in_octets::text, 'out', out_octets::text)), '[]')
     FROM billing_usage_intervals
     WHERE device = $1 AND interface = $2 AND end_ms > $5 AND start_ms < $4) AS intervals`;

/** What `PERIOD` answers (bigint columns come through JSON as numbers: all below 2^53). */
interface PeriodRow {
  extent: { from: number; last: number | null; to: number } | null;
  days: { day: number; buckets: string }[];
  intervals: {
    start: number;
    end: number;
    kind: LedgerInterval['kind'];
    in: string;
    out: string;
  }[];
}

/** Runs `work` in a transaction on one client, rolled back when it throws. */
async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>) {
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release(failure);
  }
}

/** Creates the store. */
export function createUsageLedgerStore(deps: { pool: pg.Pool }): UsageLedgerStore {
  const { pool } = deps;
  return {
    begin(series, startMs) {
      return inTransaction(pool, async (client) => {
        await client.query(
          'INSERT INTO billing_usage_follow (followed_to_ms) VALUES ($1) ON CONFLICT DO NOTHING',
          [startMs],
        );
        const locked = await client.query<{ followed_to_ms: string }>(LOCK_CURSOR);
        const cursor = Number(locked.rows[0]?.followed_to_ms);
        const devices = series.map((one) => one.device);
        const ifaces = series.map((one) => one.iface);
        // A series no longer billed stops being followed; its buckets stay for re-rating.
        await client.query(
          `DELETE FROM billing_usage_series s WHERE NOT EXISTS (
             SELECT 1 FROM unnest($1::text[], $2::text[]) AS u(device, interface)
             WHERE u.device = s.device AND u.interface = s.interface)`,
          [devices, ifaces],
        );
        await client.query(
          `INSERT INTO billing_usage_series (device, interface, followed_from_ms)
           SELECT device, interface, $3 FROM unnest($1::text[], $2::text[]) AS u(device, interface)
           ON CONFLICT DO NOTHING`,
          [devices, ifaces, cursor],
        );
        return cursor;
      });
    },

    async followedTo() {
      const { rows } = await pool.query<{ followed_to_ms: string }>(
        'SELECT followed_to_ms FROM billing_usage_follow',
      );
      return rows[0] === undefined ? null : Number(rows[0].followed_to_ms);
    },

    applyStep(fromMs, toMs, series, follow) {
      return inTransaction(pool, async (client) => {
        const cursor = (await client.query<{ followed_to_ms: string }>(LOCK_CURSOR)).rows[0];
        if (cursor === undefined || Number(cursor.followed_to_ms) !== fromMs) return false;
        const { rows } = await client.query<SeriesRow>(SERIES_STATES, [
          series.map((one) => one.device),
          series.map((one) => one.iface),
        ]);
        const states = new Map(
          rows.map((row) => [seriesKey(row.device, row.interface), seriesFromRow(row)]),
        );
        const ids = new Map(
          rows.map((row) => [
            seriesKey(row.device, row.interface),
            { device: row.device, iface: row.interface },
          ]),
        );
        const patches: DayPatch[] = [];
        const intervals: (LedgerInterval & SeriesId)[] = [];
        const updates: (LedgerSeries & SeriesId)[] = [];
        for (const [key, step] of follow(states)) {
          const id = ids.get(key);
          if (id === undefined) continue;
          patches.push(...dayPatches(id, step.buckets));
          intervals.push(...step.intervals.map((interval) => ({ ...interval, ...id })));
          updates.push({ ...step.series, ...id });
        }
        if (patches.length > 0) {
          const inserted = await client.query<{
            device: string;
            interface: string;
            day_ms: string;
          }>(INSERT_DAYS, dayColumnsOf(patches));
          const dayKey = (device: string, iface: string, dayMs: number) =>
            `${seriesKey(device, iface)}@${String(dayMs)}`;
          const written = new Set(
            inserted.rows.map((row) => dayKey(row.device, row.interface, Number(row.day_ms))),
          );
          const existing = patches.filter(
            (patch) => !written.has(dayKey(patch.device, patch.iface, patch.dayMs)),
          );
          if (existing.length > 0) await client.query(PATCH_DAYS, patchColumns(existing));
        }
        if (intervals.length > 0) {
          await client.query(INSERT_INTERVALS, [
            intervals.map((one) => one.device),
            intervals.map((one) => one.iface),
            intervals.map((one) => one.startMs),
            intervals.map((one) => one.endMs),
            intervals.map((one) => one.kind),
            intervals.map((one) => one.inOctets.toString()),
            intervals.map((one) => one.outOctets.toString()),
          ]);
        }
        if (updates.length > 0) {
          await client.query(UPDATE_SERIES, [
            updates.map((one) => one.device),
            updates.map((one) => one.iface),
            updates.map((one) => one.baseline?.timeMs ?? null),
            updates.map((one) => one.baseline?.inOctets.toString() ?? null),
            updates.map((one) => one.baseline?.outOctets.toString() ?? null),
            updates.map((one) => one.open?.startMs ?? null),
            updates.map((one) => one.open?.inWeighted ?? null),
            updates.map((one) => one.open?.outWeighted ?? null),
            updates.map((one) => one.open?.coveredMs ?? null),
            updates.map((one) => one.open?.inOctets.toString() ?? null),
            updates.map((one) => one.open?.outOctets.toString() ?? null),
          ]);
        }
        await client.query('UPDATE billing_usage_follow SET followed_to_ms = $1', [toMs]);
        return true;
      });
    },

    async readPeriod(series, fromMs, toMs) {
      const period = { startMs: fromMs, endMs: toMs };
      const count = bucketCount(period);
      const stored = {
        inBps: new Float64Array(count).fill(Number.NaN),
        outBps: new Float64Array(count).fill(Number.NaN),
        coveredMs: new Float64Array(count),
        inOctets: new BigUint64Array(count),
        outOctets: new BigUint64Array(count),
      };
      const firstDayMs = Math.floor(fromMs / DAY_MS) * DAY_MS;
      const { rows } = await pool.query<PeriodRow>(PERIOD, [
        series.device,
        series.iface,
        firstDayMs,
        toMs,
        fromMs,
      ]);
      const row = rows[0];
      for (const day of row?.days ?? []) {
        const columns = dayColumns(Buffer.from(day.buckets, 'base64'));
        const first = Math.max(0, (fromMs - day.day) / BUCKET_MS);
        const last = Math.min(BUCKETS_PER_DAY, (toMs - day.day) / BUCKET_MS);
        const at = (day.day - fromMs) / BUCKET_MS + first;
        stored.inBps.set(columns.inBps.subarray(first, last), at);
        stored.outBps.set(columns.outBps.subarray(first, last), at);
        stored.inOctets.set(columns.inOctets.subarray(first, last), at);
        stored.outOctets.set(columns.outOctets.subarray(first, last), at);
        stored.coveredMs.set(columns.coveredMs.subarray(first, last), at);
      }
      const extent = row?.extent ?? null;
      return {
        extent:
          extent === null
            ? null
            : { followedFromMs: extent.from, followedToMs: extent.to, lastReadingMs: extent.last },
        stored,
        intervals: (row?.intervals ?? []).map((interval) => ({
          startMs: interval.start,
          endMs: interval.end,
          kind: interval.kind,
          inOctets: BigInt(interval.in),
          outOctets: BigInt(interval.out),
        })),
      };
    },
  };
}
