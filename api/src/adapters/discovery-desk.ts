import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import {
  createValidator,
  DISCOVERY_QUEUE,
  DISCOVERY_REQUESTED_JOB,
  DiscoveryProgressSchema,
  DiscoveryRunSchema,
  discoveryKeys,
  PlainTopologySchema,
  type ApprovedTopology,
  type DiscoveryProgressRecord,
  type DiscoveryRunRecord,
  type Logger,
  type PlainTopology,
} from '@faultline/shared';
import type { DiscoveryDesk } from '../routes/discovery.js';

const progressValidator = createValidator(DiscoveryProgressSchema);
const runValidator = createValidator(DiscoveryRunSchema);
const topologyValidator = createValidator(PlainTopologySchema);

interface ApprovalRow {
  id: string;
  run_id: string;
  approved_by: string;
  approved_at: Date;
  change_ids: unknown;
  topology: unknown;
}

/**
 * Discovery as the api reaches it: the collectors' last run and progress in Redis, approvals in
 * PostgreSQL (mirrored to Redis for the collectors, which reach only Redis), and the `discovery`
 * queue for a run asked for now (deduplicated: asking twice while one waits adds one).
 */
export function createDiscoveryDesk(deps: {
  readonly redis: Redis;
  readonly pool: pg.Pool;
  readonly prefix: string;
  readonly logger: Logger;
}): DiscoveryDesk & { close(): Promise<void> } {
  const keys = discoveryKeys(deps.prefix);
  const queue = new Queue(DISCOVERY_QUEUE, { connection: deps.redis, prefix: deps.prefix });
  queue.on('error', (error) => {
    deps.logger.warn({ err: error }, 'discovery queue error');
  });
  const readJson = async <T>(
    key: string,
    validator: { check(value: unknown): { ok: true; value: T } | { ok: false } },
  ): Promise<T | undefined> => {
    const text = await deps.redis.get(key);
    if (text === null) return undefined;
    const checked = validator.check(JSON.parse(text));
    return checked.ok ? checked.value : undefined;
  };
  const toApproved = (row: ApprovalRow): ApprovedTopology => {
    const topology = topologyValidator.check(row.topology);
    return {
      id: Number(row.id),
      runId: row.run_id,
      approvedBy: row.approved_by,
      approvedAt: row.approved_at.toISOString(),
      changeIds: Array.isArray(row.change_ids) ? row.change_ids.map(String) : [],
      topology: topology.ok ? topology.value : { devices: [], links: [] },
    };
  };
  return {
    progress: (): Promise<DiscoveryProgressRecord | undefined> =>
      readJson(keys.progress, progressValidator),
    lastRun: (): Promise<DiscoveryRunRecord | undefined> => readJson(keys.lastRun, runValidator),
    async approved() {
      const { rows } = await deps.pool.query<ApprovalRow>(
        'SELECT * FROM topology_approvals ORDER BY id DESC LIMIT 1',
      );
      const row = rows[0];
      return row === undefined ? undefined : toApproved(row);
    },
    async approve(input: {
      runId: string;
      approvedBy: string;
      changeIds: readonly string[];
      topology: PlainTopology;
    }) {
      const { rows } = await deps.pool.query<ApprovalRow>(
        `INSERT INTO topology_approvals (run_id, approved_by, approved_at, change_ids, topology)
         VALUES ($1, $2, now(), $3, $4) RETURNING *`,
        [
          input.runId,
          input.approvedBy,
          JSON.stringify(input.changeIds),
          JSON.stringify(input.topology),
        ],
      );
      const row = rows[0];
      if (row === undefined) throw new Error('approval insert returned no row');
      const approved = toApproved(row);
      await deps.redis.set(keys.approved, JSON.stringify(approved));
      return approved;
    },
    async requestRun() {
      const job = await queue.add(
        DISCOVERY_REQUESTED_JOB,
        {},
        {
          jobId: `discovery-run_${randomUUID()}`,
          deduplication: { id: 'discovery-requested' },
          removeOnComplete: 100,
          removeOnFail: 100,
        },
      );
      return job.id ?? '';
    },
    close: () => queue.close(),
  };
}
