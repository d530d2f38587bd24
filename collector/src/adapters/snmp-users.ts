import { getCiphers } from 'node:crypto';
import snmp from 'net-snmp';
import type { SnmpUser } from '@faultline/shared';

/**
 * A configured SNMPv3 user as net-snmp takes it. The security level follows from the keys given:
 * both keys authPriv, an auth key alone authNoPriv, none noAuthNoPriv. An auth key without a
 * protocol means SHA-1, a priv key without one AES-128 (the usual defaults of agents).
 */
export function toSnmpUser(user: SnmpUser): snmp.User {
  if (user.authKey === undefined) {
    return { name: user.name, level: snmp.SecurityLevel.noAuthNoPriv };
  }
  const auth = {
    name: user.name,
    authProtocol: snmp.AuthProtocols[user.authProtocol ?? 'sha'],
    authKey: user.authKey,
  };
  if (user.privKey === undefined) return { ...auth, level: snmp.SecurityLevel.authNoPriv };
  return {
    ...auth,
    level: snmp.SecurityLevel.authPriv,
    privProtocol: snmp.PrivProtocols[user.privProtocol ?? 'aes'],
    privKey: user.privKey,
  };
}

/**
 * The names of users whose privacy protocol this Node.js cannot run: DES-CBC is a legacy cipher
 * in OpenSSL 3, absent unless Node is started with `--openssl-legacy-provider`.
 */
export function usersWithoutCipher(users: readonly SnmpUser[]): string[] {
  const hasDes = getCiphers().includes('des-cbc');
  return users
    .filter((user) => user.privKey !== undefined && user.privProtocol === 'des' && !hasDes)
    .map((user) => user.name);
}
