/**
 * Reads the collector's `interface` measurement back from InfluxDB with InfluxQL over `/query`,
 * the read path every InfluxDB serves (1.x, 2.x's v1 compatibility API, 3.x).
 */
import type { InterfaceReading } from '../core/index.js';
import type { InterfaceReadings } from '../ports.js';
import { quoteLongIntegers, toBigInt } from './influx-json.js';

/** Where and how to query. */
export interface InfluxReaderDeps {
  readonly influxUrl: string;
  /** The database (1.x) or the bucket mapped to it (2.x/3.x). */
  readonly database: string;
  /** Token for 2.x/3.x; a secret, never logged. */
  readonly token: string | undefined;
}

interface QueryAnswer {
  results?: {
    error?: string;
    series?: { columns?: string[]; values?: unknown[][] }[];
  }[];
  error?: string;
}

/** An InfluxQL string literal: single quotes and backslashes escaped. */
export function influxString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The InfluxQL query for one interface and time range (epoch ms, half-open). */
export function interfaceQuery(
  device: string,
  iface: string,
  fromMs: number,
  toMs: number,
): string {
  return (
    'SELECT in_octets, out_octets, in_bps, out_bps, quarantined FROM interface ' +
    `WHERE device = ${influxString(device)} AND interface = ${influxString(iface)} ` +
    `AND time >= ${String(fromMs)}ms AND time < ${String(toMs)}ms`
  );
}

/** Turns one `/query` answer into readings. */
export function readingsFromAnswer(answer: QueryAnswer): InterfaceReading[] {
  const readings: InterfaceReading[] = [];
  for (const result of answer.results ?? []) {
    if (result.error !== undefined) throw new Error(`InfluxDB query failed: ${result.error}`);
    for (const series of result.series ?? []) {
      const columns = series.columns ?? [];
      const at = (name: string): number => columns.indexOf(name);
      const [time, inOctets, outOctets, inBps, outBps, quarantined] = [
        at('time'),
        at('in_octets'),
        at('out_octets'),
        at('in_bps'),
        at('out_bps'),
        at('quarantined'),
      ];
      for (const row of series.values ?? []) {
        const timeMs = Number(row[time]);
        if (!Number.isFinite(timeMs)) continue;
        readings.push({
          timeMs,
          inOctets: toBigInt(row[inOctets]),
          outOctets: toBigInt(row[outOctets]),
          hasRate: typeof row[inBps] === 'number' || typeof row[outBps] === 'number',
          quarantined: row[quarantined] === true,
        });
      }
    }
  }
  return readings;
}

/** Creates the reader. */
export function createInfluxReadings(deps: InfluxReaderDeps): InterfaceReadings {
  return {
    async read(device, iface, fromMs, toMs) {
      const url = new URL('/query', deps.influxUrl);
      url.searchParams.set('db', deps.database);
      url.searchParams.set('epoch', 'ms');
      url.searchParams.set('q', interfaceQuery(device, iface, fromMs, toMs));
      const headers: Record<string, string> = { accept: 'application/json' };
      if (deps.token !== undefined) headers.authorization = `Token ${deps.token}`;
      let response: Response;
      try {
        response = await fetch(url, { headers });
      } catch (error) {
        throw new Error('InfluxDB is unreachable', { cause: error });
      }
      const text = await response.text();
      if (!response.ok) {
        throw new Error(`InfluxDB answered ${String(response.status)}: ${text.slice(0, 200)}`);
      }
      return readingsFromAnswer(JSON.parse(quoteLongIntegers(text)) as QueryAnswer);
    },
  };
}
