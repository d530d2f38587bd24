import { Type } from '@sinclair/typebox';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { Device } from '@faultline/shared';
import { AUTHENTICATED_ERRORS, errorResponses } from './schemas.js';

/** A device as the API shows it: inventory only, never its SNMP credentials. */
const PublicDeviceSchema = Type.Object({
  name: Type.String(),
  address: Type.String(),
  kind: Type.Union([Type.String(), Type.Null()]),
  site: Type.Union([Type.String(), Type.Null()]),
  interfaces: Type.Array(
    Type.Object({
      ifIndex: Type.Integer(),
      name: Type.String(),
      speedMbps: Type.Number(),
      description: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});

/** What the device routes need. */
export interface DeviceRouteOptions {
  readonly devices: () => readonly Device[];
}

/**
 * `GET /api/devices`: the inventory from the config. Fields are copied one by one (not spread)
 * so that a field added to the config later stays private until someone decides to show it.
 */
export const deviceRoutes: FastifyPluginCallbackTypebox<DeviceRouteOptions> = (
  app,
  options,
  done,
) => {
  app.get(
    '/api/devices',
    {
      config: { access: 'inventory:read' },
      schema: {
        summary: 'Configured devices and their interfaces, without credentials',
        tags: ['inventory'],
        response: {
          200: Type.Object({ devices: Type.Array(PublicDeviceSchema) }),
          ...errorResponses(...AUTHENTICATED_ERRORS),
        },
      },
    },
    () =>
      Promise.resolve({
        devices: options.devices().map((device) => ({
          name: device.name,
          address: device.address,
          kind: device.kind ?? null,
          site: device.site ?? null,
          interfaces: device.interfaces.map((entry) => ({
            ifIndex: entry.ifIndex,
            name: entry.name,
            speedMbps: entry.speedMbps,
            description: entry.description ?? null,
          })),
        })),
      }),
  );
  done();
};
