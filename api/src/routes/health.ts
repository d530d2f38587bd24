import { Type } from '@sinclair/typebox';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { HealthProbe, ServiceCheck } from '../ports.js';

const ServiceStateSchema = Type.Union([Type.Literal('up'), Type.Literal('down')]);

const HealthSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  services: Type.Object({ postgres: ServiceStateSchema, redis: ServiceStateSchema }),
});

/** What the health route needs. */
export interface HealthRouteOptions {
  readonly probes: { readonly postgres: HealthProbe; readonly redis: HealthProbe };
  /** How long a probe may take before its service counts as down. */
  readonly probeTimeoutMs: number;
}

/** A probe that gives up after `ms`: an offline ioredis queues commands instead of failing them. */
async function withTimeout(probe: HealthProbe, ms: number): Promise<ServiceCheck> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ServiceCheck>((resolve) => {
    timer = setTimeout(() => {
      resolve({ ok: false, error: `no answer within ${String(ms)} ms` });
    }, ms);
  });
  try {
    return await Promise.race([probe(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `GET /api/health`: public, for load balancers and the start script. Answers 200 when every
 * service answers, 503 otherwise; why a service is down goes to the log, not to the caller.
 */
export const healthRoutes: FastifyPluginCallbackTypebox<HealthRouteOptions> = (
  app,
  options,
  done,
) => {
  app.get(
    '/api/health',
    {
      config: { access: 'public' },
      schema: {
        summary: 'State of the api and the services it uses',
        tags: ['system'],
        security: [],
        response: { 200: HealthSchema, 503: HealthSchema },
      },
    },
    async (request, reply) => {
      const [postgres, redis] = await Promise.all([
        withTimeout(options.probes.postgres, options.probeTimeoutMs),
        withTimeout(options.probes.redis, options.probeTimeoutMs),
      ]);
      for (const [service, check] of [
        ['postgres', postgres],
        ['redis', redis],
      ] as const) {
        if (!check.ok) request.log.warn({ service, reason: check.error }, 'health check failed');
      }
      const ok = postgres.ok && redis.ok;
      return reply.code(ok ? 200 : 503).send({
        status: ok ? 'ok' : 'degraded',
        services: { postgres: postgres.ok ? 'up' : 'down', redis: redis.ok ? 'up' : 'down' },
      });
    },
  );
  done();
};
