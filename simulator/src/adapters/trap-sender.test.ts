import { describe, expect, it } from 'vitest';
import { trapVarbinds, type OutgoingTrap } from './trap-sender.js';

describe('trapVarbinds', () => {
  it.each<[OutgoingTrap, string, [string, number][]]>([
    [{ kind: 'coldStart' }, '1.3.6.1.6.3.1.1.5.1', []],
    [
      { kind: 'linkDown', ifIndex: 7, adminStatus: 1, operStatus: 2 },
      '1.3.6.1.6.3.1.1.5.3',
      [
        ['1.3.6.1.2.1.2.2.1.1.7', 7],
        ['1.3.6.1.2.1.2.2.1.7.7', 1],
        ['1.3.6.1.2.1.2.2.1.8.7', 2],
      ],
    ],
    [
      { kind: 'linkUp', ifIndex: 24, adminStatus: 1, operStatus: 1 },
      '1.3.6.1.6.3.1.1.5.4',
      [
        ['1.3.6.1.2.1.2.2.1.1.24', 24],
        ['1.3.6.1.2.1.2.2.1.7.24', 1],
        ['1.3.6.1.2.1.2.2.1.8.24', 1],
      ],
    ],
  ])('builds %j as trap %s with ifIndex, ifAdminStatus, ifOperStatus', (trap, oid, expected) => {
    const built = trapVarbinds(trap);
    expect(built.oid).toBe(oid);
    expect(built.varbinds.map((v) => [v.oid, v.value])).toEqual(expected);
  });
});
