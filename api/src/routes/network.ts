import { Type } from '@sinclair/typebox';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import {
  DeviceDetailSchema,
  InterfaceTrafficSchema,
  NetworkHealthSchema,
  ServiceNameSchema,
  TRAFFIC_RANGES,
  topologyView,
  type Config,
  type ServiceName,
  type TrafficRange,
} from '@faultline/shared';
import { HEALTH_WINDOW_MS, interfaceStatuses, networkHealth } from '../core/network-health.js';
import {
  PERCENTILE_BUCKET_MS,
  billedPercentile,
  percentileServicesOn,
  stepColumns,
  trafficWindow,
} from '../core/traffic.js';
import type { AlarmReader, IncidentReader, PolledTraffic } from '../ports.js';
import { AUTHENTICATED_ERRORS, errorResponses } from './schemas.js';

/** What the network routes need. */
export interface NetworkRouteOptions {
  readonly config: () => Pick<Config, 'devices' | 'links' | 'customers' | 'pricePlans'>;
  readonly alarms: AlarmReader;
  readonly incidents: IncidentReader;
  readonly traffic: PolledTraffic;
  readonly nowMs: () => number;
}

const DeviceParamsSchema = Type.Object({
  name: Type.String({
    pattern: '^[A-Za-z0-9._-]{1,100}$',
    description: 'A configured device name.',
  }),
});

const InterfaceParamsSchema = Type.Object({
  name: DeviceParamsSchema.properties.name,
  // Path parameters are checked as sent (text): a plain decimal ifIndex, read as a number below.
  ifIndex: Type.String({ pattern: '^[1-9][0-9]{0,9}$', description: 'The SNMP ifIndex.' }),
});

const RangeQuerySchema = Type.Object({
  range: Type.Unsafe<TrafficRange>({
    type: 'string',
    enum: [...TRAFFIC_RANGES],
    default: 'day',
    description:
      'hour (1-minute steps), day (5 minutes), week (30 minutes) or month (30 days, 2 hours).',
  }),
});

/** The most open alarms and unresolved incidents read to find a device's, and the unreachable. */
const ALARM_LIMIT = 20_000;
const INCIDENT_LIMIT = 5_000;
/** How far back an interface's last status is looked for. */
const STATUS_LOOKBACK_MS = 24 * 60 * 60_000;

const notFound = (message: string) => ({ statusCode: 404, error: 'Not Found', message }) as const;
const unavailable = (message: string) =>
  ({ statusCode: 503, error: 'Service Unavailable', message }) as const;

/** Every configured service with its customer's name and its own description. */
function serviceNames(config: Pick<Config, 'customers'>): ServiceName[] {
  return config.customers.flatMap((customer) =>
    customer.services.map((service) => ({
      customerId: customer.id,
      customerName: customer.name,
      serviceId: service.id,
      description: service.description ?? null,
      device: service.device,
      interface: service.interface,
    })),
  );
}

/**
 * The network as a NOC engineer looks into it: customer services by name, a device's page, an
 * interface's traffic from InfluxDB (with the 95th of the services billed on it), and the health
 * summary of the wall. Every route reads inventory (`inventory:read`, every role but metrics).
 */
export const networkRoutes: FastifyPluginCallbackTypebox<NetworkRouteOptions> = (
  app,
  options,
  done,
) => {
  app.get(
    '/api/services',
    {
      config: { access: 'inventory:read' },
      schema: {
        summary: 'Customer services with their names and the interface that carries each',
        tags: ['inventory'],
        response: {
          200: Type.Object({ services: Type.Array(ServiceNameSchema) }),
          ...errorResponses(...AUTHENTICATED_ERRORS),
        },
      },
    },
    () => Promise.resolve({ services: serviceNames(options.config()) }),
  );

  app.get(
    '/api/devices/:name',
    {
      config: { access: 'inventory:read' },
      schema: {
        summary:
          "A device's interfaces with their last status and traffic, open alarms and incidents",
        tags: ['inventory'],
        params: DeviceParamsSchema,
        response: {
          200: DeviceDetailSchema,
          ...errorResponses(400, 404, 503, ...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const config = options.config();
      const device = config.devices.find((d) => d.name === request.params.name);
      if (device === undefined) {
        return reply.code(404).send(notFound(`no device named ${request.params.name}`));
      }
      const nowMs = options.nowMs();
      const alarms = await options.alarms.list({
        states: ['active', 'acknowledged'],
        limit: ALARM_LIMIT,
        device: device.name,
      });
      const alarmIds = new Set(alarms.map((a) => a.id));
      const unresolved = await options.incidents.list({
        states: ['open', 'acknowledged'],
        limit: INCIDENT_LIMIT,
      });
      let polled;
      try {
        polled = await options.traffic.latest({
          device: device.name,
          ratesSinceMs: nowMs - HEALTH_WINDOW_MS,
          statusSinceMs: nowMs - STATUS_LOOKBACK_MS,
        });
      } catch (error) {
        request.log.warn({ err: error }, 'polled traffic unreadable');
        return reply.code(503).send(unavailable('InfluxDB could not be read; try again shortly'));
      }
      return {
        device: {
          name: device.name,
          address: device.address,
          kind: device.kind ?? null,
          site: device.site ?? null,
        },
        interfaces: interfaceStatuses(device, polled, serviceNames(config)),
        alarms,
        incidents: unresolved.filter(
          (incident) =>
            incident.cutOffDevices.includes(device.name) ||
            incident.alarmIds.some((id) => alarmIds.has(id)),
        ),
      };
    },
  );

  app.get(
    '/api/devices/:name/interfaces/:ifIndex/traffic',
    {
      config: { access: 'inventory:read' },
      schema: {
        summary:
          "An interface's traffic (in/out means per step) and the 95th of services billed on it",
        tags: ['inventory'],
        params: InterfaceParamsSchema,
        querystring: RangeQuerySchema,
        response: {
          200: InterfaceTrafficSchema,
          ...errorResponses(400, 404, 503, ...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const config = options.config();
      const { name } = request.params;
      const ifIndex = Number(request.params.ifIndex);
      const device = config.devices.find((d) => d.name === name);
      if (device === undefined) return reply.code(404).send(notFound(`no device named ${name}`));
      const entry = device.interfaces.find((i) => i.ifIndex === ifIndex);
      if (entry === undefined) {
        return reply
          .code(404)
          .send(
            notFound(`device ${name} has no configured interface with ifIndex ${String(ifIndex)}`),
          );
      }
      const { range } = request.query;
      const window = trafficWindow(range, options.nowMs());
      const billed = percentileServicesOn(config, device.name, entry.name, window.toMs);
      let rows;
      let buckets;
      try {
        const at = {
          device: device.name,
          iface: entry.name,
          fromMs: window.fromMs,
          toMs: window.toMs,
        };
        rows = await options.traffic.series({ ...at, stepMs: window.stepMs });
        buckets =
          billed.length === 0
            ? []
            : window.stepMs === PERCENTILE_BUCKET_MS
              ? rows
              : await options.traffic.series({ ...at, stepMs: PERCENTILE_BUCKET_MS });
      } catch (error) {
        request.log.warn({ err: error }, 'polled traffic unreadable');
        return reply.code(503).send(unavailable('InfluxDB could not be read; try again shortly'));
      }
      return {
        device: device.name,
        interface: entry.name,
        ifIndex: entry.ifIndex,
        speedMbps: entry.speedMbps,
        range,
        ...window,
        ...stepColumns(window, rows),
        percentiles: billed.map(({ customer, service, direction, commitMbps }) => ({
          serviceId: service.id,
          customerName: customer.name,
          description: service.description ?? null,
          direction,
          commitMbps,
          ...billedPercentile(buckets, direction),
        })),
      };
    },
  );

  app.get(
    '/api/network/health',
    {
      config: { access: 'inventory:read' },
      schema: {
        summary:
          'The network at a glance: busiest interfaces, errors and discards, interfaces down, unreachable and silent devices',
        tags: ['inventory'],
        response: {
          200: NetworkHealthSchema,
          ...errorResponses(503, ...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const config = options.config();
      const nowMs = options.nowMs();
      const open = await options.alarms.list({
        states: ['active', 'acknowledged'],
        limit: ALARM_LIMIT,
      });
      const unresolved = await options.incidents.list({
        states: ['open', 'acknowledged'],
        limit: INCIDENT_LIMIT,
      });
      const unreachable = topologyView(config, open, unresolved)
        .nodes.filter((node) => node.unreachable)
        .map((node) => node.name);
      let polled;
      try {
        polled = await options.traffic.latest({
          ratesSinceMs: nowMs - HEALTH_WINDOW_MS,
          statusSinceMs: nowMs - STATUS_LOOKBACK_MS,
        });
      } catch (error) {
        request.log.warn({ err: error }, 'polled traffic unreadable');
        return reply.code(503).send(unavailable('InfluxDB could not be read; try again shortly'));
      }
      return networkHealth(config.devices, polled, unreachable, nowMs);
    },
  );
  done();
};
