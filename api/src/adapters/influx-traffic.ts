/**
 * Reads the collector's `interface` measurement with InfluxQL over `/query` (the read path of
 * every InfluxDB: 1.x, 2.x's v1 compatibility API, 3.x): mean rates per step for graphs, and the
 * last status and recent rates (traffic, errors, discards) of each interface. Rates are floats and statuses small integers,
 * so the JSON answer is read as is.
 */
import type { PolledInterfaceNow } from '../core/network-health.js';
import type { PolledTraffic } from '../ports.js';

/** Where and how to query. */
export interface InfluxTrafficDeps {
  readonly influxUrl: string;
  /** The database (1.x) or the bucket mapped to it (2.x/3.x). */
  readonly database: string;
  /** Token for 2.x/3.x; a secret, never logged. */
  readonly token: string | undefined;
  /** Longest wait for an answer: a page waits on it. */
  readonly answerTimeoutMs: number;
}

interface Series {
  readonly tags?: Record<string, string>;
  readonly columns?: string[];
  readonly values?: unknown[][];
}

interface Answer {
  readonly results?: { readonly error?: string; readonly series?: Series[] }[];
  readonly error?: string;
}

/** An InfluxQL string literal: backslashes and single quotes escaped. */
export function quoteInflux(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

const numberOrNull = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/** Each row of a series as a record of its columns. */
function rows(series: Series): Record<string, unknown>[] {
  const columns = series.columns ?? [];
  return (series.values ?? []).map((row) =>
    Object.fromEntries(columns.map((name, index) => [name, row[index]])),
  );
}

/**
 * Creates the reader. A database not created yet reads as nothing polled; other failures
 * (unreachable, an error answer) reject with a message for logs.
 */
export function createInfluxTraffic(deps: InfluxTrafficDeps): PolledTraffic {
  async function ask(statements: string, database?: string): Promise<Answer> {
    const url = new URL('/query', deps.influxUrl);
    if (database !== undefined) url.searchParams.set('db', database);
    url.searchParams.set('epoch', 'ms');
    url.searchParams.set('q', statements);
    const headers: Record<string, string> = {};
    if (deps.token !== undefined) headers.authorization = `Token ${deps.token}`;
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.timeout(deps.answerTimeoutMs) });
    } catch (error) {
      throw new Error('InfluxDB is unreachable', { cause: error });
    }
    const answer = (await response.json().catch(() => ({}))) as Answer;
    if (!response.ok || answer.error !== undefined) {
      throw new Error(`InfluxDB answered ${String(response.status)}: ${answer.error ?? ''}`);
    }
    return answer;
  }

  /**
   * Whether the database exists: InfluxDB 1.x answers a query of several statements on a missing
   * one "not executed", not "database not found".
   */
  async function databaseExists(): Promise<boolean> {
    const answer = await ask('SHOW DATABASES');
    return (answer.results?.[0]?.series ?? []).some((series) =>
      (series.values ?? []).some((row) => row[0] === deps.database),
    );
  }

  async function query(statements: string): Promise<Series[][]> {
    const results = (await ask(statements, deps.database)).results ?? [];
    const failed = results.find((result) => result.error !== undefined);
    if (failed !== undefined) {
      // The collector creates the database with its first write: until then nothing was polled.
      if (!(await databaseExists())) return results.map(() => []);
      throw new Error(`InfluxDB query failed: ${String(failed.error)}`);
    }
    return results.map((result) => result.series ?? []);
  }

  return {
    async series({ device, iface, fromMs, toMs, stepMs }) {
      const [series = []] = await query(
        'SELECT mean(in_bps) AS in_bps, mean(out_bps) AS out_bps FROM interface ' +
          `WHERE device = ${quoteInflux(device)} AND interface = ${quoteInflux(iface)} ` +
          `AND time >= ${String(fromMs)}ms AND time < ${String(toMs)}ms ` +
          `GROUP BY time(${String(stepMs)}ms) fill(none)`,
      );
      return series.flatMap(rows).map((row) => ({
        timeMs: Number(row.time),
        inBps: numberOrNull(row.in_bps),
        outBps: numberOrNull(row.out_bps),
      }));
    },

    async latest({ device, ratesSinceMs, statusSinceMs }) {
      const only = device === undefined ? '' : ` AND device = ${quoteInflux(device)}`;
      const [rates = [], statuses = []] = await query(
        'SELECT mean(in_bps) AS in_bps, mean(out_bps) AS out_bps, ' +
          'mean(in_errors_ps) AS in_errors_ps, mean(out_errors_ps) AS out_errors_ps, ' +
          'mean(in_discards_ps) AS in_discards_ps, mean(out_discards_ps) AS out_discards_ps ' +
          'FROM interface ' +
          `WHERE time >= ${String(ratesSinceMs)}ms${only} GROUP BY device, interface; ` +
          'SELECT last(oper_status) AS oper_status FROM interface ' +
          `WHERE time >= ${String(statusSinceMs)}ms${only} GROUP BY device, interface`,
      );
      const found = new Map<string, PolledInterfaceNow>();
      const entry = (series: Series): PolledInterfaceNow | undefined => {
        const d = series.tags?.device;
        const i = series.tags?.interface;
        if (d === undefined || i === undefined) return undefined;
        const k = `${d}\u0000${i}`;
        const known = found.get(k) ?? {
          device: d,
          interface: i,
          inBps: null,
          outBps: null,
          inErrorsPs: null,
          outErrorsPs: null,
          inDiscardsPs: null,
          outDiscardsPs: null,
          operStatus: null,
          lastPolledMs: null,
        };
        found.set(k, known);
        return known;
      };
      for (const series of rates) {
        const known = entry(series);
        const [row] = rows(series);
        if (known === undefined || row === undefined) continue;
        found.set(`${known.device}\u0000${known.interface}`, {
          ...known,
          inBps: numberOrNull(row.in_bps),
          outBps: numberOrNull(row.out_bps),
          inErrorsPs: numberOrNull(row.in_errors_ps),
          outErrorsPs: numberOrNull(row.out_errors_ps),
          inDiscardsPs: numberOrNull(row.in_discards_ps),
          outDiscardsPs: numberOrNull(row.out_discards_ps),
        });
      }
      for (const series of statuses) {
        const known = entry(series);
        const [row] = rows(series);
        if (known === undefined || row === undefined) continue;
        found.set(`${known.device}\u0000${known.interface}`, {
          ...known,
          operStatus: numberOrNull(row.oper_status),
          lastPolledMs: numberOrNull(row.time),
        });
      }
      return [...found.values()];
    },
  };
}
