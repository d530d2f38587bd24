import snmp from 'net-snmp';
import { describe, expect, it } from 'vitest';
import { toSnmpUser, usersWithoutCipher } from './snmp-users.js';

describe('toSnmpUser', () => {
  it.each([
    [{ name: 'a' }, { name: 'a', level: snmp.SecurityLevel.noAuthNoPriv }],
    [
      { name: 'b', authKey: 'bbbbbbbb' },
      {
        name: 'b',
        level: snmp.SecurityLevel.authNoPriv,
        authProtocol: snmp.AuthProtocols.sha,
        authKey: 'bbbbbbbb',
      },
    ],
    [
      { name: 'c', authProtocol: 'sha512' as const, authKey: 'cccccccc', privKey: 'pppppppp' },
      {
        name: 'c',
        level: snmp.SecurityLevel.authPriv,
        authProtocol: snmp.AuthProtocols.sha512,
        authKey: 'cccccccc',
        privProtocol: snmp.PrivProtocols.aes,
        privKey: 'pppppppp',
      },
    ],
  ])('maps %j', (user, expected) => {
    expect(toSnmpUser(user)).toEqual(expected);
  });
});

describe('usersWithoutCipher', () => {
  it('names DES users when this Node.js has no DES, and only them', () => {
    const users = [
      { name: 'old', authKey: 'aaaaaaaa', privProtocol: 'des' as const, privKey: 'pppppppp' },
      { name: 'new', authKey: 'aaaaaaaa', privProtocol: 'aes' as const, privKey: 'pppppppp' },
      { name: 'nopriv', authKey: 'aaaaaaaa', privProtocol: 'des' as const },
    ];
    const desMissing = !process.execArgv.includes('--openssl-legacy-provider');
    expect(usersWithoutCipher(users)).toEqual(desMissing ? ['old'] : []);
  });
});
