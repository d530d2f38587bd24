import {
  HttpError,
  InfluxDB,
  Point,
  setLogger,
  type Transport,
  type WriteApi,
  type WritePrecisionType,
} from '@influxdata/influxdb-client';
import type { Config, Logger } from '@faultline/shared';
import type { InterfacePoint } from '../core/interface-points.js';
import type { TelemetryPoint } from '../core/telemetry-message.js';
import { createCounters, type Counters, type MetricsWriter } from '../ports.js';

/** The measurement the poller writes. */
export const INTERFACE_MEASUREMENT = 'interface';
/** The measurement telemetry readings go to, one series per device, metric and tag set. */
export const TELEMETRY_MEASUREMENT = 'telemetry';

/** What the writer counts. */
export const INFLUX_COUNTER_NAMES = [
  /** Points handed to the writer. */
  'points',
  /** Lines InfluxDB accepted. */
  'written',
  /** Failed write attempts (each may be retried). */
  'writeErrors',
  /** Lines given up: retries exhausted, rejected by the server, or pushed out of the retry buffer. */
  'dropped',
] as const;
/** An Influx writer counter. */
export type InfluxCounterName = (typeof INFLUX_COUNTER_NAMES)[number];

export interface InfluxWriterOptions {
  readonly url: string;
  /** InfluxDB 2.x/3.x token, or `user:password` for a 1.x server with auth. */
  readonly token: string | undefined;
  readonly influx: Config['influx'];
  readonly logger: Logger;
  readonly batchSize?: number;
  readonly flushIntervalMs?: number;
  readonly maxRetries?: number;
  /**
   * Told of every loss, with how many lines and why; must not throw. Losses at `close` are only
   * counted and logged (the events queue is closed by then).
   */
  readonly onLoss?: (lines: number, reason: InfluxLossReason) => void;
}

/** Why points were lost. */
export type InfluxLossReason =
  'retries exhausted' | 'rejected by server' | 'retry buffer full' | 'written after stop';

export interface InfluxWriter extends MetricsWriter {
  readonly counters: Readonly<Counters<InfluxCounterName>>;
  /**
   * For `v1`, creates the database when it is missing (a no-op when it exists), so a fresh
   * InfluxDB 1.x does not reject every write; resolves false, with a warning logged, when the
   * server refuses (no admin right) or cannot be reached. `v2` buckets are the operator's.
   */
  ensureDatabase(): Promise<boolean>;
  /** Sends what is buffered now. */
  flush(): Promise<void>;
}

const WRITE_PRECISION: WritePrecisionType = 'ms';

/**
 * Rewrites the client's fixed 2.x write path into the 1.x one: `/api/v2/write?org=&bucket=&
 * precision=` → `/write?db=&rp=&precision=`. 1.x spells microseconds `u` (it reads `us` as ns).
 * Any other path is returned unchanged.
 */
export function toV1WritePath(
  path: string,
  database: string,
  retentionPolicy: string | undefined,
): string {
  const [pathname, query = ''] = path.split('?', 2) as [string, string?];
  if (pathname !== '/api/v2/write') return path;
  const v2 = new URLSearchParams(query);
  const v1 = new URLSearchParams({ db: database });
  if (retentionPolicy !== undefined) v1.set('rp', retentionPolicy);
  const precision = v2.get('precision');
  if (precision !== null) v1.set('precision', precision === 'us' ? 'u' : precision);
  const consistency = v2.get('consistency');
  if (consistency !== null) v1.set('consistency', consistency);
  return `/write?${v1.toString()}`;
}

/** A transport that sends the client's writes to the 1.x endpoint, keeping its batching, retries and gzip. */
export function v1WriteTransport(
  base: Transport,
  database: string,
  retentionPolicy: string | undefined,
): Transport {
  return {
    send: (path, body, options, callbacks) => {
      base.send(toV1WritePath(path, database, retentionPolicy), body, options, callbacks);
    },
    request: (path, body, options, responseStarted) =>
      base.request(toV1WritePath(path, database, retentionPolicy), body, options, responseStarted),
    iterate: (path, body, options) =>
      base.iterate(toV1WritePath(path, database, retentionPolicy), body, options),
    chunkCombiner: base.chunkCombiner,
  };
}

const INT64_MAX = (1n << 63n) - 1n;

/**
 * A counter as an exact line-protocol integer field. InfluxDB 1.x has no unsigned fields, and the
 * client's `intField` goes through a float (exact only to 2^53), so the field is written from the
 * bigint's digits. Counter64 values above 2^63−1 (never reached in practice) are written as their
 * two's-complement int64, the same 64 bits: a reader adds 2^64 to a negative value.
 */
export function int64Field(value: bigint): string {
  const signed = value > INT64_MAX ? value - (1n << 64n) : value;
  return `${signed.toString()}i`;
}

/** The line-protocol point of one interface sample. */
export function toPoint(sample: InterfacePoint): Point {
  const point = new Point(INTERFACE_MEASUREMENT)
    .tag('device', sample.device)
    .tag('interface', sample.interface)
    .tag('ifIndex', String(sample.ifIndex))
    .timestamp(sample.timeMs);
  if (sample.service !== undefined) point.tag('service', sample.service);
  if (sample.customer !== undefined) point.tag('customer', sample.customer);
  if (sample.inOctets !== undefined) point.fields.in_octets = int64Field(sample.inOctets);
  if (sample.outOctets !== undefined) point.fields.out_octets = int64Field(sample.outOctets);
  if (sample.inBps !== undefined) point.floatField('in_bps', sample.inBps);
  if (sample.outBps !== undefined) point.floatField('out_bps', sample.outBps);
  if (sample.inErrorsPs !== undefined) point.floatField('in_errors_ps', sample.inErrorsPs);
  if (sample.outErrorsPs !== undefined) point.floatField('out_errors_ps', sample.outErrorsPs);
  if (sample.inDiscardsPs !== undefined) point.floatField('in_discards_ps', sample.inDiscardsPs);
  if (sample.outDiscardsPs !== undefined) point.floatField('out_discards_ps', sample.outDiscardsPs);
  if (sample.operStatus !== undefined) point.intField('oper_status', sample.operStatus);
  if (sample.quarantined === true) point.booleanField('quarantined', true);
  return point;
}

/** True for InfluxDB 1.x's answer to a write into a database that does not exist. */
function isDatabaseNotFound(error: HttpError): boolean {
  return (
    error.statusCode === 404 &&
    `${error.message} ${error.body ?? ''}`.includes('database not found')
  );
}

/** The line-protocol point of one telemetry reading: its tags, then device, metric and service. */
export function toTelemetryPoint(reading: TelemetryPoint): Point {
  const point = new Point(TELEMETRY_MEASUREMENT).timestamp(reading.timeMs);
  for (const [key, value] of Object.entries(reading.tags)) point.tag(key, value);
  point.tag('device', reading.device).tag('metric', reading.metric);
  if (reading.service !== undefined) point.tag('service', reading.service);
  if (reading.customer !== undefined) point.tag('customer', reading.customer);
  return point.floatField('value', reading.value);
}

/**
 * Writes interface points to InfluxDB with the official client's WriteApi (batching, retries with
 * backoff, gzip). `v1` (InfluxDB 1.x) goes through a transport that rewrites the write path;
 * `v2` (2.x, 3.x) uses org, bucket and token as they are. Lines the client gives up on are
 * counted as dropped: it reports them only through these callbacks.
 */
export function createInfluxWriter(options: InfluxWriterOptions): InfluxWriter {
  const { influx, logger } = options;
  const counters = createCounters(INFLUX_COUNTER_NAMES);
  // Retrying is bounded by time (influx.maxRetryS), not by count: with backoff from 1 s to 30 s,
  // 100 attempts outlast any maxRetryS allowed.
  const maxRetries = options.maxRetries ?? 100;
  const lose = (lines: number, reason: InfluxLossReason): void => {
    counters.dropped += lines;
    try {
      options.onLoss?.(lines, reason);
    } catch (error) {
      logger.error({ err: error }, 'influx loss handler failed');
    }
  };
  // The client logs through one process-wide logger; route it into ours.
  setLogger({
    error: (message, error) => {
      logger.error({ err: error }, `influx client: ${message}`);
    },
    warn: (message, error) => {
      logger.warn({ err: error }, `influx client: ${message}`);
    },
  });
  // Whether the 1.x database is known to exist (2.x/3.x buckets are not created here).
  let databaseReady = influx.api !== 'v1';
  async function createDatabase(): Promise<boolean> {
    if (influx.api !== 'v1') return true;
    const url = new URL('/query', options.url);
    url.searchParams.set('q', `CREATE DATABASE "${influx.database.replace(/["\\]/g, '\\$&')}"`);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: options.token === undefined ? {} : { authorization: `Token ${options.token}` },
        signal: AbortSignal.timeout(5000),
      });
      if (response.ok) {
        databaseReady = true;
        return true;
      }
      logger.warn(
        { status: response.status, database: influx.database },
        'influx database not created',
      );
    } catch (error) {
      logger.warn({ err: error, database: influx.database }, 'influx database not created');
    }
    return false;
  }

  const connection = {
    url: options.url,
    ...(options.token === undefined ? {} : { token: options.token }),
  };
  const client =
    influx.api === 'v1'
      ? new InfluxDB({
          ...connection,
          transport: v1WriteTransport(
            new InfluxDB(connection).transport,
            influx.database,
            influx.retentionPolicy,
          ),
        })
      : new InfluxDB(connection);
  const org = influx.api === 'v1' ? '' : (influx.org ?? '');
  const bucket = influx.api === 'v1' ? influx.database : (influx.bucket ?? influx.database);
  const writeApi: WriteApi = client.getWriteApi(org, bucket, WRITE_PRECISION, {
    batchSize: options.batchSize ?? 5000,
    flushInterval: options.flushIntervalMs ?? 1000,
    maxRetries,
    maxRetryTime: influx.maxRetryS * 1000,
    minRetryDelay: 1000,
    maxRetryDelay: 30_000,
    maxBufferLines: influx.maxBufferLines,
    gzipThreshold: 1000,
    writeFailed(error, lines, attempt, expires) {
      counters.writeErrors += 1;
      if (influx.api === 'v1' && error instanceof HttpError && isDatabaseNotFound(error)) {
        // A fresh or wiped 1.x server (InfluxDB down at start, or restarted empty): create the
        // database, then write the lines again instead of losing them.
        return createDatabase().then((created) => {
          if (created && !closed) writeApi.writeRecords(lines);
          else lose(lines.length, 'rejected by server');
        });
      }
      // The client retries only network errors and HTTP ≥ 429, at most maxRetries times, and
      // not past `expires`; anything else is the last attempt and the lines are gone.
      const retriable = !(error instanceof HttpError) || error.statusCode >= 429;
      if (!retriable || attempt > maxRetries || expires <= Date.now()) {
        lose(lines.length, retriable ? 'retries exhausted' : 'rejected by server');
        logger.error(
          { err: error, lines: lines.length, attempt },
          'influx write failed; points dropped',
        );
      }
    },
    writeSuccess(lines) {
      counters.written += lines.length;
    },
    writeRetrySkipped(entry) {
      lose(entry.lines.length, 'retry buffer full');
      logger.error({ lines: entry.lines.length }, 'influx retry buffer full; points dropped');
    },
  });
  let closed = false;

  return {
    counters,
    ensureDatabase: createDatabase,
    write(points) {
      if (closed) {
        lose(points.length, 'written after stop');
        return;
      }
      counters.points += points.length;
      writeApi.writePoints(points.map(toPoint));
    },
    writeTelemetry(points) {
      if (closed) {
        lose(points.length, 'written after stop');
        return;
      }
      counters.points += points.length;
      writeApi.writePoints(points.map(toTelemetryPoint));
    },
    async flush() {
      if (!closed) await writeApi.flush().catch(() => undefined);
    },
    async close() {
      if (closed) return;
      closed = true;
      // A write refused for a missing database is written again once the database is created,
      // but not while closing: so when it was never created (InfluxDB was down when the
      // collector started and nothing was written since), it is created before the last flush.
      if (!databaseReady) await createDatabase();
      // close() resolves even when lines are lost (a failed last flush, a non-empty retry buffer):
      // whatever the server never confirmed and was not yet counted is dropped now.
      await writeApi.close().catch(() => undefined);
      const unsettled = counters.points - counters.written - counters.dropped;
      if (unsettled > 0) {
        counters.dropped += unsettled;
        logger.error({ lines: unsettled }, 'influx points unwritten at stop');
      }
    },
  };
}
