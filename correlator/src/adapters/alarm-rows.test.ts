import { describe, expect, it } from 'vitest';
import { ALARM_COLUMNS, recordsToColumns, rowToRecord, type AlarmRow } from './alarm-rows.js';

const row: AlarmRow = {
  id: '6f1c2a4e-1d2b-4c3a-9e8f-0a1b2c3d4e5f',
  reduction_key: 'linkDown:core-1:3',
  device: 'core-1',
  device_known: true,
  component: null,
  type: 'linkDown',
  source: 'trap',
  severity: 'major',
  state: 'active',
  count: 3,
  first_seen: new Date(Date.UTC(2026, 0, 1, 12)),
  last_seen: new Date(Date.UTC(2026, 0, 1, 12, 0, 5)),
  cleared_at: null,
  description: 'down',
  last_event_id: 'e3',
  details: { ifIndex: 3 },
  caused_by: null,
  explanation: null,
  ticket_id: 'T-1',
  acknowledged_by: null,
};

describe('rowToRecord', () => {
  it('maps columns to the alarm contract with UTC ISO times', () => {
    expect(rowToRecord(row)).toEqual({
      alarm: {
        id: row.id,
        reductionKey: 'linkDown:core-1:3',
        device: 'core-1',
        deviceKnown: true,
        component: null,
        type: 'linkDown',
        source: 'trap',
        severity: 'major',
        state: 'active',
        count: 3,
        firstSeen: '2026-01-01T12:00:00.000Z',
        lastSeen: '2026-01-01T12:00:05.000Z',
        clearedAt: null,
        description: 'down',
        lastEventId: 'e3',
        causedBy: null,
        explanation: null,
        ticketId: 'T-1',
        acknowledgedBy: null,
      },
      details: { ifIndex: 3 },
      firstSeenMs: Date.UTC(2026, 0, 1, 12, 0, 0),
      lastSeenMs: Date.UTC(2026, 0, 1, 12, 0, 5),
    });
  });

  it.each<[string, Partial<AlarmRow>]>([
    ['an unknown state', { state: 'snoozed' }],
    ['an unknown severity', { severity: 'apocalyptic' }],
    ['an unknown source', { source: 'carrier-pigeon' }],
  ])('rejects %s as a broken invariant', (_name, overrides) => {
    expect(() => rowToRecord({ ...row, ...overrides })).toThrow(/unexpected value/);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['an array', [1, 2]],
    ['a string', 'text'],
  ])('reads details that are %s as empty', (_name, details) => {
    expect(rowToRecord({ ...row, details }).details).toEqual({});
  });
});

describe('recordsToColumns', () => {
  it('gives one array per column, in column order, with details as JSON text', () => {
    const record = rowToRecord(row);
    const columns = recordsToColumns([record, record]);
    expect(columns).toHaveLength(ALARM_COLUMNS.length);
    const at = (name: (typeof ALARM_COLUMNS)[number]) => columns[ALARM_COLUMNS.indexOf(name)];
    expect(at('id')).toEqual([row.id, row.id]);
    expect(at('first_seen')).toEqual(['2026-01-01T12:00:00.000Z', '2026-01-01T12:00:00.000Z']);
    expect(at('details')).toEqual(['{"ifIndex":3}', '{"ifIndex":3}']);
    expect(at('cleared_at')).toEqual([null, null]);
  });

  it('gives empty arrays for no records', () => {
    expect(recordsToColumns([])).toEqual(ALARM_COLUMNS.map(() => []));
  });
});
