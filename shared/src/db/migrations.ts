/**
 * The PostgreSQL schema, as ordered migrations. Every service that uses PostgreSQL runs
 * `migrate` at start; an advisory lock makes concurrent starts safe, and each migration runs once
 * in its own transaction.
 */
export interface Migration {
  readonly id: string;
  readonly sql: string;
}

/** All migrations, oldest first. Never edit one that has shipped: add a new one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    id: '001_alarms',
    sql: `
      CREATE TABLE alarms (
        id uuid PRIMARY KEY,
        reduction_key text NOT NULL,
        device text NOT NULL,
        device_known boolean NOT NULL,
        component text,
        type text NOT NULL,
        source text NOT NULL,
        severity text NOT NULL,
        state text NOT NULL CHECK (state IN ('active', 'acknowledged', 'cleared')),
        count integer NOT NULL CHECK (count >= 1),
        first_seen timestamptz NOT NULL,
        last_seen timestamptz NOT NULL,
        cleared_at timestamptz,
        description text NOT NULL,
        last_event_id text NOT NULL,
        details jsonb NOT NULL,
        caused_by uuid REFERENCES alarms (id),
        explanation text,
        ticket_id text,
        acknowledged_by text
      );
      -- One open alarm per reduction key: the upsert that dedups is atomic on this index.
      CREATE UNIQUE INDEX alarms_open_reduction_key ON alarms (reduction_key) WHERE state <> 'cleared';
      CREATE INDEX alarms_state_last_seen ON alarms (state, last_seen DESC);

      -- Every state change of an alarm, with its time, cause and actor.
      CREATE TABLE alarm_history (
        id bigserial PRIMARY KEY,
        alarm_id uuid NOT NULL REFERENCES alarms (id),
        at timestamptz NOT NULL,
        change text NOT NULL,
        severity text NOT NULL,
        actor text NOT NULL,
        cause text NOT NULL
      );
      CREATE INDEX alarm_history_alarm ON alarm_history (alarm_id, at);

      -- Ids of events already applied, so a redelivered event is counted once.
      CREATE TABLE processed_events (
        event_id text PRIMARY KEY,
        processed_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
];

/** The one thing `migrate` needs from a PostgreSQL client. */
export interface SqlRunner {
  query(sql: string, params?: readonly unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** An arbitrary constant shared by every Faultline process: the advisory lock key for migrations. */
const MIGRATION_LOCK = 7_310_425_001;

/**
 * Applies the migrations not yet applied, in order, and returns their ids. Must be given a single
 * connection (not a pool), since the advisory lock and transactions are per session.
 */
export async function migrate(db: SqlRunner): Promise<string[]> {
  await db.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await db.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await db.query('SELECT id FROM schema_migrations');
    const applied = new Set(rows.map((row) => String(row.id)));
    const done: string[] = [];
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.id)) continue;
      await db.query('BEGIN');
      try {
        await db.query(migration.sql);
        await db.query('INSERT INTO schema_migrations (id) VALUES ($1)', [migration.id]);
        await db.query('COMMIT');
      } catch (error) {
        await db.query('ROLLBACK');
        throw new Error(`migration ${migration.id} failed`, { cause: error });
      }
      done.push(migration.id);
    }
    return done;
  } finally {
    await db.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}
