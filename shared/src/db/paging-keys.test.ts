import { createECDH, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fullLengthPrivateKey, loadPagingKeys, type PagingKeysDb } from './paging-keys.js';

/** An ECDH key pair whose private scalar starts with `zeros` zero bytes. */
function keyWithLeadingZeros(zeros: number) {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.concat([Buffer.alloc(zeros), randomBytes(32 - zeros)]));
  return ecdh;
}

describe('fullLengthPrivateKey', () => {
  it.each([0, 1, 2])(
    'gives a key with %i leading zero bytes back at 32 bytes, the same key',
    (zeros) => {
      const ecdh = keyWithLeadingZeros(zeros);
      // What Node gives: the scalar without its leading zeros (what web-push refused).
      expect(ecdh.getPrivateKey()).toHaveLength(32 - zeros);
      const full = fullLengthPrivateKey(ecdh.getPrivateKey());
      expect(full).toHaveLength(32);
      const again = createECDH('prime256v1');
      again.setPrivateKey(full);
      expect(again.getPublicKey().equals(ecdh.getPublicKey())).toBe(true);
    },
  );
});

describe('loadPagingKeys', () => {
  it('gives a private key an earlier version stored short back at its full length', async () => {
    const ecdh = keyWithLeadingZeros(1);
    const row = {
      vapid_public_key: ecdh.getPublicKey().toString('base64url'),
      vapid_private_key: ecdh.getPrivateKey().toString('base64url'),
      ack_secret: 'secret',
    };
    // The row as PostgreSQL keeps it: the insert of fresh keys loses to the stored one.
    const db: PagingKeysDb = {
      query: (sql) => Promise.resolve({ rows: sql.startsWith('SELECT') ? [row] : [] }),
    };
    const keys = await loadPagingKeys(db);
    expect(Buffer.from(keys.vapidPrivateKey, 'base64url')).toHaveLength(32);
    expect(keys.vapidPublicKey).toBe(row.vapid_public_key);
  });
});
