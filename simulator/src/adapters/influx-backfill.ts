import { withoutCredentials, type Config } from '@faultline/shared';
import { backfillLines, backfillSeries, backfillTimes } from '../core/backfill-lines.js';

/** What a backfill needs. */
export interface BackfillOptions {
  readonly config: Pick<Config, 'devices' | 'customers' | 'pricePlans'>;
  /** InfluxDB base URL, e.g. `http://127.0.0.1:8086`. */
  readonly influxUrl: string;
  readonly database: string;
  /** The backfill ends just before this instant (epoch ms); usually now. */
  readonly endMs: number;
  /** How far back it goes (default 31 days). */
  readonly days?: number;
  /** Lines per POST (default 10,000). */
  readonly batchLines?: number;
  /** InfluxDB 2.x/3.x token (v1-compatible `/write` with `Authorization: Token`). */
  readonly token?: string;
  /** Creates the database first (`CREATE DATABASE`, a no-op when it exists; InfluxDB 1.x). */
  readonly createDatabase?: boolean;
}

/** What a backfill wrote. */
export interface BackfillResult {
  readonly series: number;
  readonly points: number;
  readonly requests: number;
}

/**
 * Writes a month of 5-minute `interface` points for every interface that carries a customer
 * service, as the collector would have written them (same measurement, tags and field types), to
 * InfluxDB's `/write` endpoint in ms precision, in large batches (two requests in flight). It is
 * idempotent: the same `endMs` writes the same points at the same times, which overwrite.
 */
export async function backfillUsage(options: BackfillOptions): Promise<BackfillResult> {
  const days = options.days ?? 31;
  const batchLines = options.batchLines ?? 10_000;
  const url = new URL('/write', options.influxUrl);
  url.searchParams.set('db', options.database);
  url.searchParams.set('precision', 'ms');
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
  if (options.token !== undefined) headers.authorization = `Token ${options.token}`;

  const post = async (lines: readonly string[]): Promise<void> => {
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers, body: lines.join('\n') });
    } catch (error) {
      throw new Error(`cannot reach InfluxDB at ${withoutCredentials(options.influxUrl)}`, {
        cause: error,
      });
    }
    if (response.status !== 204) {
      const detail = (await response.text()).slice(0, 300);
      throw new Error(`InfluxDB refused the backfill (${String(response.status)}): ${detail}`);
    }
  };

  if (options.createDatabase === true) {
    const create = new URL('/query', options.influxUrl);
    create.searchParams.set('q', `CREATE DATABASE "${options.database.replace(/["\\]/g, '\\$&')}"`);
    const response = await fetch(create, { method: 'POST', headers });
    if (!response.ok) {
      throw new Error(
        `InfluxDB refused to create ${options.database} (${String(response.status)})`,
      );
    }
  }
  const { firstMs, count } = backfillTimes(options.endMs, days);
  const series = backfillSeries(options.config);
  const inFlight = new Set<Promise<void>>();
  let batch: string[] = [];
  let points = 0;
  let requests = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const request = post(batch);
    batch = [];
    requests++;
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request)).catch(() => undefined);
    if (inFlight.size >= 2) await Promise.race(inFlight);
  };
  let failure: unknown;
  try {
    for (const one of series) {
      for (const line of backfillLines(one, firstMs, count)) {
        batch.push(line);
        points++;
        if (batch.length >= batchLines) await flush();
      }
    }
    await flush();
  } catch (error) {
    failure = error;
  }
  // Every request settles before returning (or throwing), so nothing writes afterwards.
  const outcomes = await Promise.allSettled(inFlight);
  const rejected = outcomes.find((o) => o.status === 'rejected');
  if (failure !== undefined) {
    throw failure instanceof Error ? failure : new Error('backfill failed', { cause: failure });
  }
  if (rejected !== undefined) throw rejected.reason;
  return { series: series.length, points, requests };
}

/**
 * Whether the database holds interface points older than `olderThanMs`: the system start-up
 * backfills only a database without history. A missing database counts as empty.
 */
export async function hasUsageHistory(options: {
  readonly influxUrl: string;
  readonly database: string;
  readonly olderThanMs: number;
  readonly token?: string;
}): Promise<boolean> {
  const url = new URL('/query', options.influxUrl);
  url.searchParams.set('db', options.database);
  url.searchParams.set(
    'q',
    `SELECT count(in_octets) FROM interface WHERE time < ${String(options.olderThanMs)}ms`,
  );
  const response = await fetch(url, {
    headers: options.token === undefined ? {} : { authorization: `Token ${options.token}` },
  });
  if (!response.ok) throw new Error(`InfluxDB answered ${String(response.status)} to a query`);
  const body = (await response.json()) as {
    results?: { series?: { values?: unknown[][] }[]; error?: string }[];
  };
  const count = body.results?.[0]?.series?.[0]?.values?.[0]?.[1];
  return typeof count === 'number' && count > 0;
}
