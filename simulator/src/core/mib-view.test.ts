import { describe, expect, it } from 'vitest';
import {
  createMibView,
  END_OF_MIB_VIEW,
  MibReadError,
  NO_SUCH_INSTANCE,
  NO_SUCH_OBJECT,
  SCALAR_ROWS,
  type MibObject,
} from './mib-view.js';

const INTEGER = 2;
const OCTET_STRING = 4;
const ROWS = [1, 2, 10];

/** sysName, a two-column table with a gap in its rows, and a scalar after it (given unsorted). */
const objects: MibObject[] = [
  { oid: '1.3.6.1.2.1.2.2.1.8', type: INTEGER, rows: ROWS, read: (row) => row * 100 },
  { oid: '1.3.6.1.6.3.10.2.1.2', type: INTEGER, rows: SCALAR_ROWS, read: () => 7 },
  { oid: '1.3.6.1.2.1.1.5', type: OCTET_STRING, rows: SCALAR_ROWS, read: () => 'core-1' },
  { oid: '1.3.6.1.2.1.2.2.1.2', type: OCTET_STRING, rows: ROWS, read: (row) => `if${String(row)}` },
];
const view = createMibView(objects);

/** Every instance of the view in lexicographic order. */
const ALL = [
  '1.3.6.1.2.1.1.5.0',
  '1.3.6.1.2.1.2.2.1.2.1',
  '1.3.6.1.2.1.2.2.1.2.2',
  '1.3.6.1.2.1.2.2.1.2.10',
  '1.3.6.1.2.1.2.2.1.8.1',
  '1.3.6.1.2.1.2.2.1.8.2',
  '1.3.6.1.2.1.2.2.1.8.10',
  '1.3.6.1.6.3.10.2.1.2.0',
];

describe('MIB view', () => {
  it('gets instances with their type and value', () => {
    expect(view.get(['1.3.6.1.2.1.1.5.0', '1.3.6.1.2.1.2.2.1.8.10'])).toEqual([
      { oid: '1.3.6.1.2.1.1.5.0', type: OCTET_STRING, value: 'core-1' },
      { oid: '1.3.6.1.2.1.2.2.1.8.10', type: INTEGER, value: 1000 },
    ]);
  });

  it('says noSuchInstance under a known object and noSuchObject elsewhere', () => {
    const types = view
      .get([
        '1.3.6.1.2.1.1.5',
        '1.3.6.1.2.1.1.5.1',
        '1.3.6.1.2.1.2.2.1.8.3',
        '1.3.6.1.2.1.2.2.1.8.1.0',
        '1.3.6.1.2.1.1.4.0',
        '1.3.6.1.2.1.2.2.1.9.1',
      ])
      .map((v) => v.type);
    expect(types).toEqual([
      NO_SUCH_INSTANCE,
      NO_SUCH_INSTANCE,
      NO_SUCH_INSTANCE,
      NO_SUCH_INSTANCE,
      NO_SUCH_OBJECT,
      NO_SUCH_OBJECT,
    ]);
  });

  it('walks every instance in OID order with GetNext, then ends with endOfMibView', () => {
    const walked: string[] = [];
    let oid = '1.3.6.1';
    for (;;) {
      const [varbind] = view.next([oid]);
      if (varbind === undefined || varbind.type === END_OF_MIB_VIEW) break;
      walked.push(varbind.oid);
      oid = varbind.oid;
    }
    expect(walked).toEqual(ALL);
    expect(view.next([ALL.at(-1) ?? ''])).toEqual([
      { oid: ALL.at(-1), type: END_OF_MIB_VIEW, value: null },
    ]);
  });

  it('finds the next instance from OIDs that are not instances', () => {
    const next = (oid: string): string | undefined => view.next([oid])[0]?.oid;
    expect(next('0')).toBe('1.3.6.1.2.1.1.5.0');
    expect(next('1.3.6.1.2.1.1.5')).toBe('1.3.6.1.2.1.1.5.0');
    expect(next('1.3.6.1.2.1.2.2.1.2.2.7')).toBe('1.3.6.1.2.1.2.2.1.2.10');
    expect(next('1.3.6.1.2.1.2.2.1.2.5')).toBe('1.3.6.1.2.1.2.2.1.2.10');
    expect(next('1.3.6.1.2.1.2.2.1.2.11')).toBe('1.3.6.1.2.1.2.2.1.8.1');
    expect(next('1.3.6.1.2.1.2.2.1.3')).toBe('1.3.6.1.2.1.2.2.1.8.1');
    expect(next('1.3.6.1.2.1.2.2.2')).toBe('1.3.6.1.6.3.10.2.1.2.0');
  });

  it('skips instances without a value when walking, and reports them missing on Get', () => {
    const sparse = createMibView([
      {
        oid: '1.3.6.1.2.1.2.2.1.8',
        type: INTEGER,
        rows: ROWS,
        read: (row) => (row === 2 ? undefined : row),
      },
    ]);
    expect(sparse.next(['1.3.6.1.2.1.2.2.1.8.1'])[0]?.oid).toBe('1.3.6.1.2.1.2.2.1.8.10');
    expect(sparse.get(['1.3.6.1.2.1.2.2.1.8.2'])[0]?.type).toBe(NO_SUCH_INSTANCE);
    expect(sparse.has('1.3.6.1.2.1.2.2.1.8.2')).toBe(false);
    expect(sparse.has('1.3.6.1.2.1.2.2.1.8.1')).toBe(true);
  });

  it('answers GetBulk with the non-repeaters, then repetitions of the others', () => {
    const answer = view.bulk(1, 4, [
      '1.3.6.1.2.1.1.5',
      '1.3.6.1.2.1.2.2.1.2',
      '1.3.6.1.2.1.2.2.1.8',
    ]);
    expect(answer.map((v) => v.oid)).toEqual([
      '1.3.6.1.2.1.1.5.0',
      '1.3.6.1.2.1.2.2.1.2.1',
      '1.3.6.1.2.1.2.2.1.8.1',
      '1.3.6.1.2.1.2.2.1.2.2',
      '1.3.6.1.2.1.2.2.1.8.2',
    ]);
  });

  it('walks past a column into the next object in one GetBulk', () => {
    const answer = view.bulk(0, 4, ['1.3.6.1.2.1.2.2.1.8']);
    expect(answer.map((v) => v.oid)).toEqual(ALL.slice(4));
  });

  it('stops a GetBulk after a repetition that reached the end of the view', () => {
    const answer = view.bulk(0, 40, ['1.3.6.1.2.1.2.2.1.8.10']);
    expect(answer).toEqual([
      { oid: '1.3.6.1.6.3.10.2.1.2.0', type: INTEGER, value: 7 },
      { oid: '1.3.6.1.6.3.10.2.1.2.0', type: END_OF_MIB_VIEW, value: null },
    ]);
    expect(view.bulk(0, 0, ['1.3.6.1'])).toEqual([]);
    expect(view.bulk(5, 10, ['1.3.6.1'])).toHaveLength(1);
  });

  it('tells which variable binding a failed read answered', () => {
    const failing = createMibView([
      ...objects.filter((o) => o.oid !== '1.3.6.1.2.1.2.2.1.8'),
      {
        oid: '1.3.6.1.2.1.2.2.1.8',
        type: INTEGER,
        rows: ROWS,
        read: () => {
          throw new Error('broken counter');
        },
      },
    ]);
    const indexOf = (run: () => unknown): number | undefined => {
      try {
        run();
      } catch (error) {
        return error instanceof MibReadError ? error.index : -1;
      }
      return undefined;
    };
    expect(indexOf(() => failing.get(['1.3.6.1.2.1.1.5.0', '1.3.6.1.2.1.2.2.1.8.1']))).toBe(1);
    expect(indexOf(() => failing.bulk(1, 10, ['1.3.6.1', '1.3.6.1.2.1.2.2.1.2.2']))).toBe(1);
    expect(indexOf(() => failing.next(['1.3.6.1.2.1.2.2.1.2.10']))).toBe(0);
  });

  it('refuses objects inside one another', () => {
    expect(() =>
      createMibView([
        { oid: '1.3.6.1.2.1.2.2.1.8', type: INTEGER, rows: ROWS, read: () => 1 },
        { oid: '1.3.6.1.2.1.2.2.1.8.5', type: INTEGER, rows: SCALAR_ROWS, read: () => 1 },
      ]),
    ).toThrow(/inside/);
  });
});
