import { createECDH, randomBytes } from 'node:crypto';

/** The installation's paging keys (secrets: never logged, never in an api answer but the public key). */
export interface PagingKeys {
  /** The VAPID public key: an uncompressed P-256 point, base64url (what `applicationServerKey` takes). */
  readonly vapidPublicKey: string;
  /** The VAPID private key: 32 bytes, base64url. */
  readonly vapidPrivateKey: string;
  /** Signs the acknowledgement tokens inside Web Push pages. */
  readonly ackSecret: string;
}

/** What loading the keys needs from a PostgreSQL client or pool. */
export interface PagingKeysDb {
  query(sql: string, params?: readonly unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** A P-256 private key's length: what Web Push (the `web-push` library) requires of a VAPID key. */
const PRIVATE_KEY_BYTES = 32;

/**
 * A P-256 private key at its full 32 bytes. Node's ECDH gives the scalar without its leading zero
 * bytes (31 bytes for one key in 256), which `web-push` refuses ("Vapid private key should be 32
 * bytes long when decoded"): such an installation could never send a Web Push page.
 */
export function fullLengthPrivateKey(key: Buffer): Buffer {
  return key.length >= PRIVATE_KEY_BYTES
    ? key
    : Buffer.concat([Buffer.alloc(PRIVATE_KEY_BYTES - key.length), key]);
}

function newKeys(): PagingKeys {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    vapidPublicKey: ecdh.getPublicKey().toString('base64url'),
    vapidPrivateKey: fullLengthPrivateKey(ecdh.getPrivateKey()).toString('base64url'),
    ackSecret: randomBytes(32).toString('base64url'),
  };
}

/**
 * The installation's paging keys, kept in PostgreSQL (`paging_keys`, one row): made by the first
 * process that asks, then the same for every process and restart. Two first asks at once both
 * insert; one wins and both read its row. A private key stored short by an earlier version is
 * given back at its full length (the same key).
 */
export async function loadPagingKeys(db: PagingKeysDb): Promise<PagingKeys> {
  const fresh = newKeys();
  await db.query(
    `INSERT INTO paging_keys (id, vapid_public_key, vapid_private_key, ack_secret)
     VALUES (true, $1, $2, $3) ON CONFLICT (id) DO NOTHING`,
    [fresh.vapidPublicKey, fresh.vapidPrivateKey, fresh.ackSecret],
  );
  const { rows } = await db.query(
    'SELECT vapid_public_key, vapid_private_key, ack_secret FROM paging_keys WHERE id',
  );
  const row = rows[0];
  if (row === undefined) throw new Error('paging_keys has no row after insert');
  return {
    vapidPublicKey: String(row.vapid_public_key),
    vapidPrivateKey: fullLengthPrivateKey(
      Buffer.from(String(row.vapid_private_key), 'base64url'),
    ).toString('base64url'),
    ackSecret: String(row.ack_secret),
  };
}
