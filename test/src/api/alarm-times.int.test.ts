import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '@faultline/api';
import {
  ALARM_SELECT_COLUMNS,
  alarmFromRow,
  createLogger,
  type Alarm,
  type AlarmRow,
} from '@faultline/shared';
import {
  createApiFixture,
  sampleAlarm,
  upsertAlarm,
  VIEWER_TOKEN,
  type ApiFixture,
} from './harness.js';

/**
 * The api reads alarm lists with their times written as text by PostgreSQL (a 10,000-alarm
 * snapshot parses no Dates); what it answers must be what node-postgres's Dates give, whatever
 * the session's time zone and however fine the stored time.
 */
describe('alarm times read as text', () => {
  let fixture: ApiFixture;
  let pool: pg.Pool;
  let app: FastifyInstance;

  beforeAll(async () => {
    fixture = await createApiFixture();
    // A zone 12:45 ahead of UTC, with daylight saving: times written in it would show.
    pool = new pg.Pool({
      connectionString: fixture.database.url,
      options: '-c TimeZone=Pacific/Chatham',
    });
    const times = [
      ['2026-04-05 01:59:59.999999+00', null],
      ['2026-09-26 14:00:00.000500+00', '2026-09-26 14:10:00.123999+00'],
      ['1999-12-31 23:59:59.001+00', '2000-01-01 00:00:00+00'],
      ['2026-12-07 03:30:36.343+00', null],
    ] as const;
    for (const [lastSeen, clearedAt] of times) {
      const alarm = sampleAlarm(
        clearedAt === null ? {} : { state: 'cleared', severity: 'cleared' },
      );
      await upsertAlarm(fixture.pool, alarm);
      await fixture.pool.query(
        "UPDATE alarms SET first_seen = $2::timestamptz - interval '1 hour', last_seen = $2, cleared_at = $3 WHERE id = $1",
        [alarm.id, lastSeen, clearedAt],
      );
    }
    app = await buildApp({
      pool,
      redis: fixture.redis,
      config: fixture.config,
      settings: fixture.settings,
      logger: createLogger({ level: 'silent' }),
      metrics: () => '',
      dashboardDir: null,
    });
  });

  afterAll(async () => {
    await app.close();
    await pool.end();
    await fixture.close();
  });

  it('answers the times node-postgres reads, in the same order', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/alarms?state=all',
      headers: { authorization: `Bearer ${VIEWER_TOKEN}` },
    });
    expect(response.statusCode).toBe(200);
    const rows = await fixture.pool.query<AlarmRow>(
      `SELECT ${ALARM_SELECT_COLUMNS} FROM alarms ORDER BY last_seen DESC, id`,
    );
    const expected = rows.rows.map(alarmFromRow);
    expect(expected.map((alarm) => alarm.lastSeen)).toEqual([
      '2026-12-07T03:30:36.343Z',
      '2026-09-26T14:00:00.000Z',
      '2026-04-05T01:59:59.999Z',
      '1999-12-31T23:59:59.001Z',
    ]);
    expect(response.json<{ alarms: Alarm[] }>().alarms).toEqual(expected);
  });
});
