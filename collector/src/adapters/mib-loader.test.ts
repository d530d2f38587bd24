import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@faultline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMibs, loadOrder, mibFileHeader } from './mib-loader.js';

const ACME_MIB = `-- A vendor MIB for tests
ACME-MIB DEFINITIONS ::= BEGIN
IMPORTS
    enterprises, OBJECT-TYPE, NOTIFICATION-TYPE, Integer32 FROM SNMPv2-SMI;
acme OBJECT IDENTIFIER ::= { enterprises 99999 }
acmeTraps OBJECT IDENTIFIER ::= { acme 0 }
acmeFanSpeed OBJECT-TYPE SYNTAX Integer32 MAX-ACCESS read-only STATUS current
    DESCRIPTION "fan speed" ::= { acme 1 }
acmeFanFailure NOTIFICATION-TYPE OBJECTS { acmeFanSpeed } STATUS current
    DESCRIPTION "a fan failed" ::= { acmeTraps 1 }
END
`;
const ACME_EXT_MIB = `ACME-EXT-MIB DEFINITIONS ::= BEGIN
IMPORTS OBJECT-TYPE, Integer32 FROM SNMPv2-SMI
        acme FROM ACME-MIB;
acmeExt OBJECT IDENTIFIER ::= { acme 2 }
acmePsuVolts OBJECT-TYPE SYNTAX Integer32 MAX-ACCESS read-only STATUS current
    DESCRIPTION "volts" ::= { acmeExt 1 }
END
`;

describe('mibFileHeader', () => {
  it.each([
    [ACME_MIB, { module: 'ACME-MIB', imports: ['SNMPv2-SMI'] }],
    [ACME_EXT_MIB, { module: 'ACME-EXT-MIB', imports: ['SNMPv2-SMI', 'ACME-MIB'] }],
    ['just text', { error: 'no "<MODULE> DEFINITIONS ::= BEGIN" header' }],
    [
      'X-MIB DEFINITIONS ::= BEGIN\nfoo OBJECT IDENTIFIER ::= { bar 1 }\n',
      { error: 'no END at the end of the module' },
    ],
  ])('reads %#', (text, expected) => {
    expect(mibFileHeader(text)).toEqual(expected);
  });
});

describe('loadOrder', () => {
  it('puts imported modules first and reports what cannot resolve', () => {
    const headers = [
      { file: 'c', module: 'C', imports: ['B'] },
      { file: 'b', module: 'B', imports: ['A', 'SNMPv2-SMI'] },
      { file: 'a', module: 'A', imports: ['SNMPv2-SMI'] },
      { file: 'x', module: 'X', imports: ['NOWHERE-MIB'] },
      { file: 'y', module: 'Y', imports: ['Z'] },
      { file: 'z', module: 'Z', imports: ['Y'] },
    ];
    const { order, unresolved } = loadOrder(headers, new Set(['SNMPv2-SMI']));
    expect(order.map((h) => h.module)).toEqual(['A', 'B', 'C']);
    expect(unresolved).toEqual([
      { file: 'x', missing: ['NOWHERE-MIB'] },
      { file: 'y', missing: ['Z'] },
      { file: 'z', missing: ['Y'] },
    ]);
  });
});

describe('loadMibs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faultline-mibs-'));
    // Named so that the dependent module comes first alphabetically.
    await writeFile(join(dir, 'a-acme-ext.mib'), ACME_EXT_MIB);
    await writeFile(join(dir, 'b-acme.my'), ACME_MIB);
    await writeFile(join(dir, 'readme.txt'), 'not a MIB');
    await writeFile(
      join(dir, 'orphan.mib'),
      ACME_EXT_MIB.replaceAll('ACME-EXT-MIB', 'ORPHAN-MIB').replace('ACME-MIB', 'MISSING-MIB'),
    );
    await writeFile(join(dir, '.hidden'), 'ignored');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names standard OIDs with no folder at all', async () => {
    const { names, modules } = await loadMibs([], createLogger({ level: 'silent' }));
    expect(modules).toEqual([]);
    expect(names.nameOf('1.3.6.1.6.3.1.1.5.3')).toBe('IF-MIB::linkDown');
    expect(names.nameOf('1.3.6.1.2.1.2.2.1.8.7')).toBe('IF-MIB::ifOperStatus.7');
    expect(names.nameOf('1.3.6.1.2.1.1.3.0')).toBe('SNMPv2-MIB::sysUpTime.0');
    expect(names.nameOf('1.3.6.1.6.3.1.1.4.1.0')).toBe('SNMPv2-MIB::snmpTrapOID.0');
  });

  it('loads vendor MIBs in import order and skips what is not loadable', async () => {
    const { names, modules, skipped } = await loadMibs([dir], createLogger({ level: 'silent' }));
    expect(modules).toEqual(['ACME-MIB', 'ACME-EXT-MIB']);
    expect(names.nameOf('1.3.6.1.4.1.99999.0.1')).toBe('ACME-MIB::acmeFanFailure');
    expect(names.nameOf('1.3.6.1.4.1.99999.2.1.0')).toBe('ACME-EXT-MIB::acmePsuVolts.0');
    expect(skipped.map((s) => [s.file.slice(dir.length + 1), s.reason])).toEqual([
      ['readme.txt', 'no "<MODULE> DEFINITIONS ::= BEGIN" header'],
      ['orphan.mib', 'imports MISSING-MIB, which no MIB provides'],
    ]);
  });

  it('fails when a folder cannot be read', async () => {
    await expect(loadMibs([join(dir, 'nope')], createLogger({ level: 'silent' }))).rejects.toThrow(
      /cannot read MIB folder/,
    );
  });
});
