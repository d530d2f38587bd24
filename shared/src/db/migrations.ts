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
  {
    id: '002_incidents',
    sql: `
      -- When the correlator first recorded the alarm (its clock, not the event's): the hold
      -- window runs from here. And the incident the alarm belongs to, once it has one.
      ALTER TABLE alarms ADD COLUMN raised_at timestamptz NOT NULL DEFAULT now();
      ALTER TABLE alarms ADD COLUMN incident_id text;
      CREATE INDEX alarms_incident ON alarms (incident_id) WHERE incident_id IS NOT NULL;

      -- One incident per real fault, named by its root cause.
      CREATE TABLE incidents (
        id text PRIMARY KEY,
        state text NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
        title text NOT NULL,
        severity text NOT NULL,
        primary_alarm_id uuid NOT NULL REFERENCES alarms (id),
        root_alarm_ids uuid[] NOT NULL,
        alarm_ids uuid[] NOT NULL,
        cut_off_devices text[] NOT NULL,
        impacted_services jsonb NOT NULL,
        ticket_id text NOT NULL UNIQUE,
        opened_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        resolved_at timestamptz,
        resolution text,
        acknowledged_by text,
        assignee text,
        version integer NOT NULL CHECK (version >= 1)
      );
      CREATE INDEX incidents_unresolved ON incidents (opened_at) WHERE state <> 'resolved';

      -- One ticket per incident, written by the tickets queue's worker, and its timeline.
      CREATE TABLE tickets (
        id text PRIMARY KEY,
        incident_id text NOT NULL UNIQUE REFERENCES incidents (id),
        state text NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
        title text NOT NULL,
        severity text NOT NULL,
        impacted_services jsonb NOT NULL,
        version integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        resolved_at timestamptz,
        assignee text
      );
      CREATE TABLE ticket_events (
        id bigserial PRIMARY KEY,
        ticket_id text NOT NULL REFERENCES tickets (id),
        -- The job (or request) that wrote it: a replay finds it and writes nothing.
        dedup_key text NOT NULL UNIQUE,
        at timestamptz NOT NULL,
        kind text NOT NULL,
        actor text NOT NULL,
        body text NOT NULL
      );
      CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, at, id);

      -- Customer service outages for billing: [started_at, ended_at), open while ended_at is null.
      CREATE TABLE outages (
        id bigserial PRIMARY KEY,
        customer_id text NOT NULL,
        service_id text NOT NULL,
        incident_id text NOT NULL REFERENCES incidents (id),
        ticket_id text NOT NULL,
        root_alarm_id uuid NOT NULL REFERENCES alarms (id),
        root_cause text NOT NULL,
        started_at timestamptz NOT NULL,
        ended_at timestamptz,
        in_maintenance boolean NOT NULL DEFAULT false,
        CHECK (ended_at IS NULL OR ended_at >= started_at)
      );
      CREATE UNIQUE INDEX outages_open ON outages (incident_id, service_id) WHERE ended_at IS NULL;
      CREATE INDEX outages_service ON outages (customer_id, service_id, started_at);

      -- Jobs decided in a correlation transaction, enqueued after its commit (transactional outbox):
      -- a crash between the two loses nothing, and the deterministic job ids dedup the replays.
      CREATE TABLE outbox (
        job_id text PRIMARY KEY,
        queue text NOT NULL,
        name text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        enqueued_at timestamptz
      );
      CREATE INDEX outbox_pending ON outbox (created_at) WHERE enqueued_at IS NULL;

      -- Webhook deliveries that succeeded, by idempotency key.
      CREATE TABLE notifications (
        idempotency_key text PRIMARY KEY,
        target text NOT NULL,
        incident_id text NOT NULL,
        kind text NOT NULL,
        status integer NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    id: '003_maintenance',
    sql: `
      -- Names of the maintenance windows an alarm fell in when last correlated, if any.
      ALTER TABLE alarms ADD COLUMN maintenance text;
      ALTER TABLE incidents ADD COLUMN in_maintenance boolean NOT NULL DEFAULT false;
      ALTER TABLE incidents ADD COLUMN announced boolean NOT NULL DEFAULT true;
    `,
  },
  {
    id: 'billing_001',
    sql: `
      -- One billing run per customer, period and version. Version 1 holds the period's lines;
      -- a later version exists only when a re-run found different data, and holds adjustments.
      CREATE TABLE billing_runs (
        id text PRIMARY KEY,
        customer_id text NOT NULL,
        period text NOT NULL,
        period_start timestamptz NOT NULL,
        period_end timestamptz NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        currency text NOT NULL,
        -- SHA-256 of this run's lines; and of the full recomputed period it was decided from.
        content_hash text NOT NULL,
        target_hash text NOT NULL,
        total_billed_minor bigint NOT NULL,
        total_billed numeric NOT NULL,
        total_held numeric NOT NULL,
        line_count integer NOT NULL,
        held_count integer NOT NULL,
        requested_by text NOT NULL,
        reconciliation jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (customer_id, period, version)
      );
      CREATE INDEX billing_runs_period ON billing_runs (period, customer_id);

      -- The lines of a run. Money: amount_minor (integer minor units) and amount (the same as
      -- an exact decimal in major units); unit prices may be finer than the minor unit.
      CREATE TABLE billing_lines (
        run_id text NOT NULL REFERENCES billing_runs (id),
        line_no integer NOT NULL CHECK (line_no >= 1),
        line_key text NOT NULL,
        customer_id text NOT NULL,
        service_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('charge', 'overage', 'credit', 'adjustment')),
        status text NOT NULL CHECK (status IN ('billed', 'held')),
        description text NOT NULL,
        quantity text NOT NULL,
        unit_price_minor text NOT NULL,
        unit_price numeric NOT NULL,
        period_fraction text NOT NULL,
        amount_minor bigint NOT NULL,
        amount numeric NOT NULL,
        currency text NOT NULL,
        evidence jsonb NOT NULL,
        coverage jsonb,
        PRIMARY KEY (run_id, line_no)
      );
      CREATE INDEX billing_lines_key ON billing_lines (customer_id, line_key);

      -- Runs delivered to the BSS webhook, by run id (the idempotency key).
      CREATE TABLE billing_pushes (
        run_id text PRIMARY KEY REFERENCES billing_runs (id),
        status integer NOT NULL,
        pushed_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    id: '004_flapping',
    sql: `
      -- Flapping counts the raises of each key over a recent window.
      CREATE INDEX alarms_key_raised ON alarms (reduction_key, raised_at);
    `,
  },
  {
    id: '005_reminders',
    sql: `
      -- Reminder pushes for incidents nobody acknowledged: when the incident was first pushed,
      -- how many reminders went out, and when the last one did.
      ALTER TABLE incidents ADD COLUMN announced_at timestamptz;
      ALTER TABLE incidents ADD COLUMN reminders_sent integer NOT NULL DEFAULT 0;
      ALTER TABLE incidents ADD COLUMN last_reminder_at timestamptz;
    `,
  },
  {
    id: 'billing_002',
    sql: `
      -- What billing analysts did to a run: release a held line ('approval') or add a manual
      -- credit or debit ('adjustment'). Computed lines are never edited: an action is a row of
      -- its own, shown after the run's lines in its exports. Rows are never updated or deleted.
      CREATE TABLE billing_actions (
        run_id text NOT NULL REFERENCES billing_runs (id),
        action_no integer NOT NULL CHECK (action_no >= 1),
        kind text NOT NULL CHECK (kind IN ('approval', 'adjustment')),
        customer_id text NOT NULL,
        period text NOT NULL,
        -- The held line an approval releases (null for an adjustment).
        line_no integer,
        -- An approval bills under the released line's key; an adjustment under its own.
        line_key text NOT NULL,
        service_id text NOT NULL,
        description text NOT NULL,
        amount_minor bigint NOT NULL,
        amount numeric NOT NULL,
        currency text NOT NULL,
        reason text NOT NULL CHECK (length(reason) > 0),
        actor text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (run_id, action_no),
        FOREIGN KEY (run_id, line_no) REFERENCES billing_lines (run_id, line_no),
        CHECK ((kind = 'approval') = (line_no IS NOT NULL))
      );
      -- A held line (or its repeat in a later version: same key) is released at most once.
      CREATE UNIQUE INDEX billing_actions_one_approval ON billing_actions (customer_id, period, line_key)
        WHERE kind = 'approval';

      CREATE FUNCTION billing_actions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'billing_actions is an audit record: rows are never changed or deleted';
      END $$;
      CREATE TRIGGER billing_actions_append_only BEFORE UPDATE OR DELETE ON billing_actions
        FOR EACH ROW EXECUTE FUNCTION billing_actions_append_only();

      -- Runs and lines as exported: the computed lines, then one billed 'adjustment' line per
      -- action (numbered after them), and the totals with the actions counted. A released held
      -- line stays 'held' among the computed lines; its approval line bills it.
      CREATE VIEW billing_runs_reviewed AS
        SELECT r.id, r.customer_id, r.period, r.period_start, r.period_end, r.version, r.currency,
          r.content_hash, r.target_hash,
          r.total_billed_minor + coalesce(a.billed_minor, 0) AS total_billed_minor,
          r.total_billed + coalesce(a.billed, 0) AS total_billed,
          r.total_held - coalesce(a.released, 0) AS total_held,
          r.line_count + coalesce(a.actions, 0) AS line_count,
          r.held_count - coalesce(a.approvals, 0) AS held_count,
          r.requested_by, r.reconciliation, r.created_at
        FROM billing_runs r LEFT JOIN (
          SELECT run_id, sum(amount_minor) AS billed_minor, sum(amount) AS billed,
            sum(amount) FILTER (WHERE kind = 'approval') AS released, count(*) AS actions,
            count(*) FILTER (WHERE kind = 'approval') AS approvals
          FROM billing_actions GROUP BY run_id
        ) a ON a.run_id = r.id;
      CREATE VIEW billing_lines_reviewed AS
        SELECT run_id, line_no, line_key, customer_id, service_id, kind, status, description,
          quantity, unit_price_minor, unit_price, period_fraction, amount_minor, amount, currency,
          evidence, coverage
        FROM billing_lines
        UNION ALL
        SELECT a.run_id, r.line_count + a.action_no, a.line_key, a.customer_id, a.service_id,
          'adjustment', 'billed', a.description, '1', a.amount_minor::text, a.amount, '1',
          a.amount_minor, a.amount, a.currency,
          jsonb_build_object('kind', 'manual', 'action', a.kind, 'actionNo', a.action_no,
            'lineNo', a.line_no, 'reason', a.reason, 'actor', a.actor, 'at', a.created_at),
          NULL
        FROM billing_actions a JOIN billing_runs r ON r.id = a.run_id;
    `,
  },
  {
    id: '006_processed_events_retention',
    sql: `
      -- The correlator forgets applied event ids once no redelivery can bring them back.
      CREATE INDEX processed_events_at ON processed_events (processed_at);
    `,
  },
  {
    id: '007_incident_trust',
    sql: `
      -- Flapping is a state of an alarm and of an incident: the raises of the key within the
      -- flap window, as the last correlation step counted them (0 when it does not flap).
      ALTER TABLE alarms ADD COLUMN flap_count integer NOT NULL DEFAULT 0;
      ALTER TABLE incidents ADD COLUMN flap_count integer NOT NULL DEFAULT 0;
      -- Recently resolved incidents: a root raised again re-opens its incident within the flap
      -- window, and symptoms still waiting for a poll recover under the incident they were in.
      CREATE INDEX incidents_resolved_at ON incidents (resolved_at) WHERE state = 'resolved';
    `,
  },
  {
    id: '008_paging',
    sql: `
      -- Every page, follow-up and acknowledgement from a page, one row per attempt or outcome:
      -- the incident's paging timeline. dedup_key is the delivery job and attempt that wrote it.
      CREATE TABLE pages (
        id bigserial PRIMARY KEY,
        incident_id text NOT NULL,
        dedup_key text NOT NULL UNIQUE,
        -- The delivery job (queued, then its attempts), if the row is about one.
        job_id text,
        at timestamptz NOT NULL DEFAULT now(),
        -- page | acknowledge | resolve | acknowledged (someone acknowledged from a page) | escalation
        action text NOT NULL,
        step integer,
        person text,
        -- webpush | email | slack | teams | pagerduty | webhook | '' (no channel: an escalation note)
        channel text NOT NULL,
        -- The destination as a delivery job names it (no secrets), to send the resolve to.
        destination jsonb,
        destination_key text,
        -- queued | delivered | retrying | failed | gone | acknowledged | stopped | unrouted | unstaffed
        status text NOT NULL,
        detail text NOT NULL DEFAULT ''
      );
      CREATE INDEX pages_incident ON pages (incident_id, at, id);
      CREATE INDEX pages_job ON pages (job_id);

      -- Browsers that receive Web Push pages for a person (the api token's name).
      CREATE TABLE push_subscriptions (
        id text PRIMARY KEY,
        endpoint text NOT NULL UNIQUE,
        person text NOT NULL,
        p256dh text NOT NULL,
        auth text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX push_subscriptions_person ON push_subscriptions (person);

      -- The installation's paging keys, made once by the first process that needs them: the VAPID
      -- key pair (P-256, base64url) and the secret that signs acknowledgement tokens.
      CREATE TABLE paging_keys (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        vapid_public_key text NOT NULL,
        vapid_private_key text NOT NULL,
        ack_secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      -- On-call overrides added through the api (those of the config file are not copied here).
      CREATE TABLE oncall_overrides (
        id bigserial PRIMARY KEY,
        rotation text NOT NULL,
        person text NOT NULL,
        covers text,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX oncall_overrides_rotation ON oncall_overrides (rotation, ends_at);
    `,
  },
  {
    id: 'billing_004_claimed_outages',
    sql: `
      -- Outages a customer claims that the network never saw (a carrier's ticket, a site visit),
      -- recorded by a billing analyst with their evidence. Once approved (like a held line: by
      -- someone with billing:approve, with a reason) billing rates the claim like any outage of
      -- the service. A claim is never deleted; its approval is written once.
      CREATE TABLE outage_claims (
        id bigserial PRIMARY KEY,
        customer_id text NOT NULL,
        service_id text NOT NULL,
        started_at timestamptz NOT NULL,
        ended_at timestamptz NOT NULL,
        reference text NOT NULL CHECK (length(reference) > 0),
        evidence text NOT NULL CHECK (length(evidence) > 0),
        claimed_by text NOT NULL,
        claimed_at timestamptz NOT NULL DEFAULT now(),
        approved_by text,
        approved_at timestamptz,
        approval_reason text,
        CHECK (ended_at > started_at),
        CHECK ((approved_by IS NULL) = (approved_at IS NULL)
          AND (approved_at IS NULL) = (approval_reason IS NULL))
      );
      CREATE INDEX outage_claims_service ON outage_claims (customer_id, service_id, started_at);
    `,
  },
  {
    id: 'billing_005_status_links',
    sql: `
      -- A customer's status links: a read-only, revocable token scoped to one customer (only
      -- its SHA-256 is kept; the token is shown once, when the link is made).
      CREATE TABLE status_links (
        id text PRIMARY KEY,
        customer_id text NOT NULL,
        token_sha256 text NOT NULL UNIQUE,
        label text NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        revoked_by text,
        CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
      );
      CREATE INDEX status_links_customer ON status_links (customer_id, created_at);
      -- Incidents affecting one customer (the care desk, status pages).
      CREATE INDEX incidents_impacted_services ON incidents USING gin (impacted_services jsonb_path_ops);
      -- Budget warnings sent: one per service, period, tier and destination (a paging channel).
      CREATE TABLE budget_warnings (
        customer_id text NOT NULL,
        service_id text NOT NULL,
        period text NOT NULL,
        tier_below_percent text NOT NULL,
        channel text NOT NULL,
        used_percent numeric NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (customer_id, service_id, period, tier_below_percent, channel)
      );
    `,
  },
  {
    id: '009_partitions',
    sql: `
      -- Batches (event jobs) already applied, by the digest of their event ids, so a redelivered
      -- batch is skipped whole: one row per batch instead of one per event. Written in the same
      -- transaction as the batch's alarms.
      CREATE TABLE applied_batches (
        batch_id text PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX applied_batches_at ON applied_batches (applied_at);
      DROP TABLE processed_events;
    `,
  },
  {
    id: 'billing_003_usage_buckets',
    sql: `
      -- The billing bridge's usage ledger (docs/billing.md, _5-minute buckets_): each billed
      -- device interface's 5-minute bucket rates and volumes, kept as its readings arrive.
      -- Where the follower stands: every reading before followed_to_ms is in the ledger.
      CREATE TABLE billing_usage_follow (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        followed_to_ms bigint NOT NULL
      );
      -- One row per followed series: its readings from followed_from_ms on are in the ledger;
      -- the last one (raw counters) is the next interval's baseline, and the bucket holding it
      -- (open_*) may still grow.
      CREATE TABLE billing_usage_series (
        device text NOT NULL,
        interface text NOT NULL,
        followed_from_ms bigint NOT NULL,
        last_time_ms bigint,
        last_in_octets numeric(20, 0),
        last_out_octets numeric(20, 0),
        open_start_ms bigint,
        open_in_weighted double precision,
        open_out_weighted double precision,
        open_covered_ms double precision,
        open_in_octets numeric(20, 0),
        open_out_octets numeric(20, 0),
        PRIMARY KEY (device, interface)
      );
      -- A UTC day of buckets: five columns of 288, little-endian: rate in, rate out (float64,
      -- NaN: not observed), octets in, octets out (uint64), covered ms (uint32). Not compressed:
      -- rates do not compress, and a billing run reads them back whole.
      CREATE TABLE billing_usage_days (
        device text NOT NULL,
        interface text NOT NULL,
        day_ms bigint NOT NULL,
        buckets bytea NOT NULL,
        PRIMARY KEY (device, interface, day_ms)
      );
      ALTER TABLE billing_usage_days ALTER COLUMN buckets SET STORAGE EXTERNAL;
      -- The intervals that gave no rate (few: gaps, resets, quarantined readings), one by one.
      CREATE TABLE billing_usage_intervals (
        device text NOT NULL,
        interface text NOT NULL,
        start_ms bigint NOT NULL,
        end_ms bigint NOT NULL,
        kind text NOT NULL CHECK (kind IN ('reset', 'quarantined', 'decrease', 'long')),
        in_octets numeric(20, 0) NOT NULL,
        out_octets numeric(20, 0) NOT NULL,
        PRIMARY KEY (device, interface, end_ms)
      );
    `,
  },
  {
    id: '013_discovery',
    sql: `
      -- Each approval of a discovery proposal, all or in part: who, when, from which run, the
      -- changes approved and the whole topology they made. The newest is the one in use.
      CREATE TABLE topology_approvals (
        id bigserial PRIMARY KEY,
        run_id text NOT NULL,
        approved_by text NOT NULL,
        approved_at timestamptz NOT NULL,
        change_ids jsonb NOT NULL,
        topology jsonb NOT NULL
      );
    `,
  },
  {
    id: '015_alarm_partitions',
    sql: `
      -- Each event partition's version: bumped by every write of the partition's alarms (its
      -- owner's commits, an acknowledgement), in the same transaction and under the partition's
      -- advisory lock, so the owner, which keeps the partition's open alarms in memory, knows
      -- whether they are still PostgreSQL's (docs/correlator.md, _Alarms in memory_).
      CREATE TABLE alarm_partitions (
        partition integer PRIMARY KEY,
        version bigint NOT NULL
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
