import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { TopologyViewSchema, topologyView, type Config } from '@faultline/shared';
import type { AlarmReader, IncidentReader } from '../ports.js';
import { AUTHENTICATED_ERRORS, errorResponses } from './schemas.js';

/** What the topology route needs. */
export interface TopologyRouteOptions {
  readonly config: () => Pick<Config, 'devices' | 'links'>;
  readonly alarms: AlarmReader;
  /** Unresolved incidents mark the devices they cut off as unreachable. */
  readonly incidents: IncidentReader;
}

/** The most open alarms read to colour the map; beyond it the map shows the newest ones. */
const MAP_ALARM_LIMIT = 20_000;
/** The most unresolved incidents read for cut-off devices. */
const MAP_INCIDENT_LIMIT = 5_000;

/**
 * `GET /api/topology`: the configured devices and links, each with the worst severity of its
 * open alarms (`ok` when none), and whether it is unreachable (cut off by an unresolved incident, or
 * with an open device-down alarm). The dashboard draws it once and recolours it from live alarms
 * and incidents.
 */
export const topologyRoutes: FastifyPluginCallbackTypebox<TopologyRouteOptions> = (
  app,
  options,
  done,
) => {
  app.get(
    '/api/topology',
    {
      config: { access: 'inventory:read' },
      schema: {
        summary: 'Devices and links with the status of their open alarms',
        tags: ['inventory'],
        response: { 200: TopologyViewSchema, ...errorResponses(...AUTHENTICATED_ERRORS) },
      },
    },
    async () => {
      const open = await options.alarms.list({
        states: ['active', 'acknowledged'],
        limit: MAP_ALARM_LIMIT,
      });
      const unresolved = await options.incidents.list({
        states: ['open', 'acknowledged'],
        limit: MAP_INCIDENT_LIMIT,
      });
      return topologyView(options.config(), open, unresolved);
    },
  );
  done();
};
