import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCollector } from '@faultline/collector';
import { createCorrelator } from '@faultline/correlator';
import { createSimulator } from '@faultline/simulator';
import { createLogger, startAll, type Runtime } from '@faultline/shared';
import { isolatedExampleConfig } from '../simulator/example-network.js';
import {
  createInfluxDatabase,
  createTestDatabase,
  testSettings,
  type TestDatabase,
} from '../support/services.js';
import { freeUdpPort } from '../support/ports.js';

/**
 * `npm start`'s quiet wall: the example network's simulated devices boot with the simulator and
 * send coldStart; the collector's first polls that reach them clear those restart alarms, each with
 * its reason, in the order the system starts them (correlator, collector, then the simulator).
 */

interface Row {
  reduction_key: string;
  state: string;
  cause: string | null;
}

describe('the demo network boots quietly (simulator, collector, correlator)', () => {
  let database: TestDatabase;
  let dropInflux: () => Promise<void>;
  let stopAll: () => Promise<boolean>;
  let db: pg.Client;
  let devices: string[];

  beforeAll(async () => {
    database = await createTestDatabase();
    const influx = await createInfluxDatabase();
    dropInflux = () => influx.drop();
    const config = await isolatedExampleConfig();
    devices = config.devices.map((d) => d.name);
    const trapPort = await freeUdpPort();
    const runtime: Runtime = {
      settings: testSettings({ databaseUrl: database.url, trapHost: '127.0.0.1', trapPort }),
      config: {
        ...config,
        influx: { ...config.influx, database: influx.name },
        telemetry: { ...config.telemetry, sessionExpiryS: 0 },
      },
      logger: createLogger({ level: 'silent' }),
    };
    stopAll = await startAll(
      [
        createCorrelator({ runtime }),
        createCollector({ runtime }),
        createSimulator({
          config: runtime.config,
          trapTarget: { host: '127.0.0.1', port: trapPort },
          logger: runtime.logger,
        }),
      ],
      runtime.logger,
    );
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await stopAll();
    await dropInflux();
    await database.drop();
  });

  it('clears every cold start after the first polls, saying why', async () => {
    const rows = await vi.waitFor(
      async () => {
        const result = await db.query<Row>(
          `SELECT a.reduction_key, a.state, h.cause FROM alarms a
           LEFT JOIN alarm_history h ON h.alarm_id = a.id AND h.change = 'cleared'
           WHERE a.type = 'coldStart' ORDER BY a.reduction_key`,
        );
        expect(result.rows.map((r) => r.state)).toEqual(devices.map(() => 'cleared'));
        return result.rows;
      },
      // The first poll of each device comes within 10 s of the start, or one interval later.
      { timeout: 80_000, interval: 500 },
    );
    expect(rows.map((r) => r.reduction_key)).toEqual(devices.map((d) => `coldStart:${d}`).sort());
    for (const row of rows)
      expect(row.cause).toMatch(
        /\(restartOver\): restarted \d+ s before this poll; answers polls again$/,
      );
  }, 120_000);
});
