import { Type } from '@sinclair/typebox';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import {
  applyChanges,
  ApprovedTopologySchema,
  diffTopology,
  DiscoveryProgressSchema,
  DiscoveryRunSchema,
  effectiveTopology,
  TopologyChangeSchema,
  topologyYaml,
  type ApprovedTopology,
  type Config,
  type DiscoveryProgressRecord,
  type DiscoveryRunRecord,
  type PlainTopology,
  type TopologyChange,
} from '@faultline/shared';
import { AUTHENTICATED_ERRORS, errorResponses } from './schemas.js';

/** Discovery's runs, progress and approvals, as the routes need them. */
export interface DiscoveryDesk {
  progress(): Promise<DiscoveryProgressRecord | undefined>;
  lastRun(): Promise<DiscoveryRunRecord | undefined>;
  approved(): Promise<ApprovedTopology | undefined>;
  approve(input: {
    runId: string;
    approvedBy: string;
    changeIds: readonly string[];
    topology: PlainTopology;
  }): Promise<ApprovedTopology>;
  /** Adds a run to the queue (one waiting at most); resolves with its job id. */
  requestRun(): Promise<string>;
}

export interface DiscoveryRouteOptions {
  readonly desk: DiscoveryDesk;
  readonly config: () => Pick<Config, 'devices' | 'links' | 'discovery'>;
}

const DiscoveryViewSchema = Type.Object({
  configured: Type.Boolean({ description: 'Whether the config has a `discovery` section.' }),
  progress: Type.Union([DiscoveryProgressSchema, Type.Null()]),
  run: Type.Union([DiscoveryRunSchema, Type.Null()]),
  proposal: Type.Array(TopologyChangeSchema, {
    description: 'The last run against the topology in use, change by change.',
  }),
  approved: Type.Union([ApprovedTopologySchema, Type.Null()]),
});

const ApproveBodySchema = Type.Object(
  {
    runId: Type.String({ minLength: 1, maxLength: 200 }),
    changeIds: Type.Union([Type.Array(Type.String({ maxLength: 1000 })), Type.Literal('all')], {
      description: 'The ids of the changes approved, or "all".',
    }),
  },
  { additionalProperties: false },
);

/**
 * Discovery for admins: `GET /api/discovery` (progress, last run, its proposal against the
 * topology in use, the approval in use), `POST /api/discovery/runs` (run now),
 * `POST /api/discovery/approvals` (approve all or part of the proposal; who and when recorded)
 * and `GET /api/discovery/topology.yaml` (the topology in use, as YAML).
 */
export const discoveryRoutes: FastifyPluginCallbackTypebox<DiscoveryRouteOptions> = (
  app,
  options,
  done,
) => {
  const { desk } = options;
  const yamlTopology = (): PlainTopology => {
    const config = options.config();
    return { devices: config.devices.map((d) => d.name), links: config.links };
  };
  const proposalOf = async (): Promise<{
    run: DiscoveryRunRecord | undefined;
    approved: ApprovedTopology | undefined;
    inUse: PlainTopology;
    proposal: TopologyChange[];
  }> => {
    const [run, approved] = await Promise.all([desk.lastRun(), desk.approved()]);
    const inUse = effectiveTopology(yamlTopology(), approved?.topology);
    const proposal =
      run === undefined
        ? []
        : diffTopology(inUse, {
            devices: run.devices.map((d) => ({ ...d, chassisId: d.chassisId })),
            links: run.links,
          });
    return { run, approved, inUse, proposal };
  };

  app.get(
    '/api/discovery',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Discovery progress, the last run and its proposal against the topology in use',
        tags: ['discovery'],
        response: { 200: DiscoveryViewSchema, ...errorResponses(...AUTHENTICATED_ERRORS) },
      },
    },
    async () => {
      const { run, approved, proposal } = await proposalOf();
      return {
        configured: options.config().discovery !== undefined,
        progress: (await desk.progress()) ?? null,
        run: run ?? null,
        proposal,
        approved: approved ?? null,
      };
    },
  );

  app.post(
    '/api/discovery/runs',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Start a discovery run now (one waits at most)',
        tags: ['discovery'],
        response: {
          202: Type.Object({ jobId: Type.String() }),
          ...errorResponses(400, ...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (_request, reply) => {
      if (options.config().discovery === undefined) {
        return reply.code(400).send({
          statusCode: 400,
          error: 'Bad Request',
          message: 'discovery is not configured (no `discovery` section in the config)',
        });
      }
      return reply.code(202).send({ jobId: await desk.requestRun() });
    },
  );

  app.post(
    '/api/discovery/approvals',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Approve all or part of the last run’s proposal',
        tags: ['discovery'],
        body: ApproveBodySchema,
        response: {
          201: ApprovedTopologySchema,
          ...errorResponses(400, ...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const { run, inUse, proposal } = await proposalOf();
      const bad = (message: string) =>
        reply.code(400).send({ statusCode: 400, error: 'Bad Request', message });
      if (run?.progress.runId !== request.body.runId) {
        return bad(`run "${request.body.runId}" is not the last discovery run`);
      }
      const { changeIds } = request.body;
      const wanted = changeIds === 'all' ? proposal.map((c) => c.id) : changeIds;
      const byId = new Map(proposal.map((c) => [c.id, c]));
      const unknown = wanted.filter((id) => !byId.has(id));
      if (unknown.length > 0) {
        return bad(
          `not in the proposal (approved already, or never proposed): ${unknown.join(', ')}`,
        );
      }
      const chosen = wanted.flatMap((id) => byId.get(id) ?? []);
      const approved = await desk.approve({
        runId: run.progress.runId,
        approvedBy: request.principal?.name ?? 'unknown',
        changeIds: chosen.map((c) => c.id),
        topology: applyChanges(inUse, chosen),
      });
      return reply.code(201).send(approved);
    },
  );

  app.get(
    '/api/discovery/topology.yaml',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'The topology in use (approved beside the YAML), as YAML',
        tags: ['discovery'],
        response: { 200: Type.String(), ...errorResponses(...AUTHENTICATED_ERRORS) },
      },
    },
    async (_request, reply) => {
      const approved = await desk.approved();
      const inUse = effectiveTopology(yamlTopology(), approved?.topology);
      const heading =
        approved === undefined
          ? 'Topology in use: the config file (nothing approved from discovery yet).'
          : `Topology in use: approval ${String(approved.id)} by ${approved.approvedBy} at ${approved.approvedAt}, beside the config file.`;
      return reply.type('application/yaml').send(topologyYaml(inUse, heading));
    },
  );
  done();
};
