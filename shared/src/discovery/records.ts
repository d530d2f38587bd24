import { Type, type Static } from '@sinclair/typebox';

/**
 * Discovery's shared records: the queue its runs go through, where the last run and its
 * progress are kept (Redis: the collector reaches only Redis), and the schemas the api serves.
 */

/** The BullMQ queue of discovery runs: the collectors work it one run at a time. */
export const DISCOVERY_QUEUE = 'discovery';
/** Job names on it: a run an admin asked for, and the scheduled re-discovery. */
export const DISCOVERY_REQUESTED_JOB = 'requested';
export const DISCOVERY_SCHEDULED_JOB = 'scheduled';

/** Redis keys of discovery under an instance prefix. */
export function discoveryKeys(prefix: string): {
  /** JSON `DiscoveryProgress` of the run under way or last finished. */
  readonly progress: string;
  /** JSON `DiscoveryRunRecord` of the last finished run. */
  readonly lastRun: string;
  /** JSON `ApprovedTopology`: a mirror of the latest approval (PostgreSQL has the truth). */
  readonly approved: string;
} {
  return {
    progress: `${prefix}:discovery:progress`,
    lastRun: `${prefix}:discovery:run`,
    approved: `${prefix}:discovery:approved`,
  };
}

const PortRefSchema = Type.Object({ device: Type.String(), interface: Type.String() });
const LinkRefSchema = Type.Object({ a: PortRefSchema, b: PortRefSchema });

/** How far a run has come. */
export const DiscoveryProgressSchema = Type.Object({
  runId: Type.String(),
  trigger: Type.Union([Type.Literal('requested'), Type.Literal('scheduled')]),
  startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  total: Type.Integer({ description: 'Addresses the run probes.' }),
  probed: Type.Integer(),
  found: Type.Integer(),
  failed: Type.Integer({ description: 'Addresses that answered but could not be read.' }),
});
export type DiscoveryProgressRecord = Static<typeof DiscoveryProgressSchema>;

/** A run as stored: what it found, and what it could not place. Holds no credentials. */
export const DiscoveryRunSchema = Type.Object({
  progress: DiscoveryProgressSchema,
  devices: Type.Array(
    Type.Object({
      name: Type.String(),
      address: Type.String(),
      sysObjectId: Type.String(),
      sysDescr: Type.String(),
      chassisId: Type.Optional(Type.String()),
      credential: Type.Integer({ description: 'Position in discovery.credentials that answered.' }),
      interfaces: Type.Array(
        Type.Object({
          ifIndex: Type.Integer(),
          name: Type.String(),
          alias: Type.String(),
          speedMbps: Type.Number(),
          type: Type.Integer(),
        }),
      ),
    }),
  ),
  links: Type.Array(Type.Object({ ...LinkRefSchema.properties, confirmed: Type.Boolean() })),
  unresolved: Type.Array(
    Type.Object({
      device: Type.String(),
      localPortNum: Type.Integer(),
      reason: Type.String(),
      neighbour: Type.String(),
    }),
  ),
  failures: Type.Array(Type.Object({ address: Type.String(), message: Type.String() })),
});
export type DiscoveryRunRecord = Static<typeof DiscoveryRunSchema>;

/** One proposed change (see `TopologyChange`), as served. */
export const TopologyChangeSchema = Type.Object({
  kind: Type.Union(
    (['deviceAdded', 'deviceRemoved', 'linkAdded', 'linkRemoved', 'linkMoved'] as const).map((k) =>
      Type.Literal(k),
    ),
  ),
  id: Type.String(),
  summary: Type.String(),
  device: Type.Optional(Type.String()),
  address: Type.Optional(Type.String()),
  link: Type.Optional(LinkRefSchema),
  port: Type.Optional(PortRefSchema),
  from: Type.Optional(PortRefSchema),
  to: Type.Optional(PortRefSchema),
  confirmed: Type.Optional(Type.Boolean()),
});

/** A topology of device names and links. */
export const PlainTopologySchema = Type.Object({
  devices: Type.Array(Type.String()),
  links: Type.Array(LinkRefSchema),
});

/** An approval: who, when, from which run, which changes, and the topology it made. */
export const ApprovedTopologySchema = Type.Object({
  id: Type.Integer(),
  runId: Type.String(),
  approvedBy: Type.String(),
  approvedAt: Type.String({ format: 'date-time' }),
  changeIds: Type.Array(Type.String()),
  topology: PlainTopologySchema,
});
export type ApprovedTopology = Static<typeof ApprovedTopologySchema>;
