import { Type } from '@sinclair/typebox';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import {
  BillingJobOutcomeSchema,
  BillingRunProgressSchema,
  renderBillingCsv,
  renderBillingJson,
} from '@faultline/shared';
import type { Config } from '@faultline/shared';
import type { BillingRunReader, BillingRunRequester, BillingRunSummary } from '../ports.js';
import { AUTHENTICATED_ERRORS, errorResponses } from './schemas.js';

/**
 * A period label as billing writes it: `YYYY-MM`, or `YYYY-MM-DD` with the anchor day (1..28, so
 * every month has it; see docs/billing.md).
 */
const PeriodSchema = Type.String({
  pattern: '^[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|1[0-9]|2[0-8]))?$',
  description: 'A period label: YYYY-MM, or YYYY-MM-DD with the anchor day (01..28).',
});
const CustomerSchema = Type.String({ minLength: 1, maxLength: 100 });

const RunSchema = Type.Object({
  id: Type.String({ description: '<customer>/<period>/v<version>' }),
  customerId: Type.String(),
  period: Type.String(),
  periodStart: Type.String({ format: 'date-time' }),
  periodEnd: Type.String({ format: 'date-time' }),
  version: Type.Integer(),
  currency: Type.String(),
  contentHash: Type.String(),
  totalBilled: Type.String({ description: 'Billed lines, decimal in major units.' }),
  totalHeld: Type.String({ description: 'Held lines, decimal in major units.' }),
  createdAt: Type.String({ format: 'date-time' }),
  lineCount: Type.Integer(),
  heldCount: Type.Integer({ description: 'Lines held for review (coverage too low).' }),
  requestedBy: Type.String(),
  totalCredits: Type.String({
    description:
      'SLA credits of this version (its billed lines under SLA credit keys), decimal in major units, negative or 0.',
  }),
  customerName: Type.String({
    description: "The customer's name in the configuration (its id when no longer configured).",
  }),
  timeZone: Type.String({
    description:
      "The customer's IANA time zone (UTC when no longer configured): periods and times are shown in it.",
  }),
});

const JsonValue = Type.Unknown({ description: 'JSON, shape in docs/billing.md.' });

const LineSchema = Type.Object({
  lineNo: Type.Integer(),
  lineKey: Type.String(),
  serviceId: Type.String(),
  kind: Type.Union([
    Type.Literal('charge'),
    Type.Literal('overage'),
    Type.Literal('credit'),
    Type.Literal('adjustment'),
  ]),
  status: Type.Union([Type.Literal('billed'), Type.Literal('held')]),
  description: Type.String(),
  quantity: Type.String(),
  unitPrice: Type.String(),
  periodFraction: Type.String(),
  amount: Type.String(),
  currency: Type.String(),
  evidence: JsonValue,
  coverage: JsonValue,
});

export const RunIdParamsSchema = Type.Object({
  id: Type.String({
    minLength: 1,
    maxLength: 300,
    description: 'The run id, URL-encoded (it contains slashes).',
  }),
});

const NullableTime = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

const JobStatusSchema = Type.Object({
  id: Type.String(),
  state: Type.Union([
    Type.Literal('queued'),
    Type.Literal('running'),
    Type.Literal('done'),
    Type.Literal('failed'),
  ]),
  request: Type.Object({
    period: Type.Optional(Type.String()),
    customer: Type.Optional(Type.String()),
  }),
  progress: Type.Union([BillingRunProgressSchema, Type.Null()]),
  outcomes: Type.Array(BillingJobOutcomeSchema, {
    description: 'When done: per customer, the run stored (or found unchanged), or why none.',
  }),
  error: Type.Union([Type.String(), Type.Null()], { description: 'When failed: why.' }),
  enqueuedAt: Type.String({ format: 'date-time' }),
  startedAt: NullableTime,
  finishedAt: NullableTime,
});

/** A download name from a run id: `billing-acme-2026-04-v1.csv`. */
function downloadName(runId: string, extension: string): string {
  return `billing-${runId.replace(/[^A-Za-z0-9._-]+/g, '-')}.${extension}`;
}

/** What the billing routes need. */
export interface BillingRouteOptions {
  readonly runs: BillingRunReader;
  readonly requester: BillingRunRequester;
  /** The configuration in force (customers' names and time zones, SLA thresholds). */
  readonly config: () => Config;
}

/** A run with its customer's name and time zone from the configuration in force. */
function withCustomer(config: Config, run: BillingRunSummary) {
  const customer = config.customers.find((candidate) => candidate.id === run.customerId);
  return {
    ...run,
    customerName: customer?.name ?? run.customerId,
    timeZone: customer?.timeZone ?? 'UTC',
  };
}

/** The decimals of a number as written (99.95 → 2). */
function decimalsOf(value: number): number {
  return /\.(\d+)$/.exec(String(value))?.[1]?.length ?? 0;
}

/** Per SLA: the most decimals among its thresholds (gold at 99.95/99.9/99.5 → 2). */
function availabilityDecimals(config: Config): Record<string, number> {
  return Object.fromEntries(
    config.slas.map((sla) => [
      sla.id,
      Math.max(...sla.tiers.map((tier) => decimalsOf(tier.belowPercent))),
    ]),
  );
}

/**
 * The billing desk: runs (list, detail, CSV and JSON exports rendered by the shared renderers
 * from the stored rows, byte-identical to the webhook pushes), and run requests on the `billing`
 * queue for the billing bridge.
 */
export const billingRoutes: FastifyPluginCallbackTypebox<BillingRouteOptions> = (
  app,
  options,
  done,
) => {
  const notFound = (id: string) => ({
    statusCode: 404,
    error: 'Not Found',
    message: `no billing run with id ${id}`,
  });

  app.get(
    '/api/billing/runs',
    {
      config: { access: 'billing:read' },
      schema: {
        summary: 'Billing runs, newest first, with totals and held counts',
        tags: ['billing'],
        querystring: Type.Object({
          period: Type.Optional(PeriodSchema),
          customer: Type.Optional(CustomerSchema),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
        }),
        response: {
          200: Type.Object({
            available: Type.Boolean({
              description: 'False until the billing bridge has created its tables.',
            }),
            runs: Type.Array(RunSchema),
          }),
          ...errorResponses(400, ...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request) => {
      const { period, customer, limit } = request.query;
      const runs = await options.runs.list({ period, customerId: customer, limit });
      const config = options.config();
      return {
        available: runs !== undefined,
        runs: (runs ?? []).map((run) => withCustomer(config, run)),
      };
    },
  );

  app.get(
    '/api/billing/runs/:id',
    {
      config: { access: 'billing:read' },
      schema: {
        summary: 'One billing run with its lines, their evidence and the reconciliation',
        tags: ['billing'],
        params: RunIdParamsSchema,
        response: {
          200: Type.Object({
            run: RunSchema,
            lines: Type.Array(LineSchema),
            reconciliation: JsonValue,
            availabilityDecimals: Type.Record(Type.String(), Type.Integer(), {
              description:
                'Per SLA id of the credits: the decimals its thresholds are written with, to show availability to.',
            }),
          }),
          ...errorResponses(400, 404, ...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const detail = await options.runs.get(request.params.id);
      if (detail === undefined) return reply.code(404).send(notFound(request.params.id));
      const config = options.config();
      return {
        ...detail,
        run: withCustomer(config, detail.run),
        availabilityDecimals: availabilityDecimals(config),
      };
    },
  );

  for (const format of ['csv', 'json'] as const) {
    app.get(
      `/api/billing/runs/:id/export.${format}`,
      {
        config: { access: 'billing:read' },
        schema: {
          summary: `One billing run as ${format.toUpperCase()} (the same bytes as the webhook push)`,
          tags: ['billing'],
          params: RunIdParamsSchema,
          produces: [format === 'csv' ? 'text/csv' : 'application/json'],
          response: {
            200: Type.String({
              description: `The ${format.toUpperCase()} export (docs/billing.md).`,
            }),
            ...errorResponses(400, 404, ...AUTHENTICATED_ERRORS),
          },
        },
      },
      async (request, reply) => {
        const stored = await options.runs.exportOf(request.params.id);
        if (stored === undefined) return reply.code(404).send(notFound(request.params.id));
        const body =
          format === 'csv'
            ? renderBillingCsv(stored.run, stored.lines)
            : renderBillingJson(stored.run, stored.lines);
        return reply
          .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="${downloadName(stored.run.id, format)}"`,
          )
          .send(body);
      },
    );
  }

  app.post(
    '/api/billing/runs',
    {
      config: { access: 'billing:run' },
      schema: {
        summary: 'Ask the billing bridge for runs (a period and/or customer, else the last closed)',
        tags: ['billing'],
        body: Type.Object(
          { period: Type.Optional(PeriodSchema), customer: Type.Optional(CustomerSchema) },
          { additionalProperties: false },
        ),
        response: {
          202: Type.Object({
            jobId: Type.String({
              description:
                'The billing job (follow it at /api/billing/jobs/:id); the same request while one waits or runs gets its id.',
            }),
          }),
          ...errorResponses(400, ...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const { period, customer } = request.body;
      const jobId = await options.requester.request({
        ...(period === undefined ? {} : { period }),
        ...(customer === undefined ? {} : { customerId: customer }),
        requestedBy: request.principal?.name ?? 'unknown',
      });
      return reply.code(202).send({ jobId });
    },
  );

  app.get(
    '/api/billing/jobs/:id',
    {
      config: { access: 'billing:read' },
      schema: {
        summary:
          'Where a requested billing job stands: queued, running, done (with its runs) or failed',
        tags: ['billing'],
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 300 }) }),
        response: {
          200: JobStatusSchema,
          ...errorResponses(400, 404, ...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const status = await options.requester.status(request.params.id);
      if (status === undefined) {
        return reply.code(404).send({
          statusCode: 404,
          error: 'Not Found',
          message: `no billing job ${request.params.id} (unknown, or finished long ago)`,
        });
      }
      return status;
    },
  );
  done();
};
