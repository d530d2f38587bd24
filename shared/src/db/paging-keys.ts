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

function newKeys(): PagingKeys {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    vapidPublicKey: ecdh.getPublicKey().toString('base64url'),
    vapidPrivateKey: ecdh.getPrivateKey().toString('base64url'),
    ackSecret: randomBytes(32).toString('base64url'),
  };
}

/**
 * The installation's paging keys, kept in PostgreSQL (`paging_keys`, one row): made by the first
 * process that asks, then the same for every process and restart. Two first asks at once both
 * insert; one wins and both read its row.
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
    vapidPrivateKey: String(row.vapid_private_key),
    ackSecret: String(row.ack_secret),
  };
}
