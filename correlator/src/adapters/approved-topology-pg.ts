import type pg from 'pg';
import { createValidator, PlainTopologySchema, type Config, type Logger } from '@faultline/shared';
import { topologyFromConfig, type Topology } from '../core/topology.js';

const topologyValidator = createValidator(PlainTopologySchema);

/**
 * The topology root cause uses: the config's, beside the newest approval of a discovery proposal
 * (table `topology_approvals`). Read again at most every `refreshMs`, so an approval reaches
 * incidents within that time; when the read fails, the last topology read stays in use.
 */
export function createApprovedTopologySource(deps: {
  readonly pool: pg.Pool;
  readonly config: Config;
  readonly refreshMs: number;
  readonly clock: () => number;
  readonly logger: Logger;
}): () => Promise<Topology> {
  let current = topologyFromConfig(deps.config);
  let readAtMs = Number.NEGATIVE_INFINITY;
  let approvalId: string | undefined;
  return async () => {
    if (deps.clock() - readAtMs < deps.refreshMs) return current;
    readAtMs = deps.clock();
    try {
      const { rows } = await deps.pool.query<{ id: string; topology: unknown }>(
        'SELECT id, topology FROM topology_approvals ORDER BY id DESC LIMIT 1',
      );
      const row = rows[0];
      if (row === undefined || row.id === approvalId) return current;
      const checked = topologyValidator.check(row.topology);
      if (!checked.ok) {
        deps.logger.error({ approval: row.id }, 'approved topology is not valid; not used');
        return current;
      }
      approvalId = row.id;
      current = topologyFromConfig(deps.config, checked.value);
      deps.logger.info(
        { approval: row.id, links: current.links.length },
        'approved topology in use',
      );
    } catch (error) {
      deps.logger.warn({ err: error }, 'approved topology not read; keeping the last');
    }
    return current;
  };
}
