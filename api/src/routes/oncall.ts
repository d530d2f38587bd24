import { Type } from '@sinclair/typebox';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import {
  OverrideSchema,
  onCallNowAndNext,
  onCallSegments,
  type Config,
  type OnCallSegment,
} from '@faultline/shared';
import { rotationCalendar } from '../core/ical.js';
import type { PagingRecords, StoredOverride } from '../ports.js';
import { AUTHENTICATED_ERRORS, errorResponses } from './schemas.js';

/** What the on-call routes need. */
export interface OnCallRouteOptions {
  readonly paging: PagingRecords;
  readonly config: () => Pick<Config, 'paging'>;
  readonly nowMs: () => number;
}

const DAY_MS = 86_400_000;
/** The iCal feed covers a week back and 90 days ahead. */
const FEED_BACK_MS = 7 * DAY_MS;
const FEED_AHEAD_MS = 90 * DAY_MS;

const SegmentSchema = Type.Object(
  {
    person: Type.String(),
    start: Type.String({ format: 'date-time' }),
    end: Type.String({ format: 'date-time' }),
    source: Type.Union([Type.Literal('shift'), Type.Literal('override')]),
    covers: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
const Nullable = <T extends ReturnType<typeof Type.Object>>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const StoredOverrideSchema = Type.Object(
  {
    id: Type.Union([Type.String(), Type.Null()], {
      description: 'Null for an override of the config file (removed by editing the file).',
    }),
    rotation: Type.String(),
    person: Type.String(),
    covers: Type.Optional(Type.String()),
    start: Type.String(),
    end: Type.String(),
    createdBy: Type.String(),
  },
  { additionalProperties: false },
);

function view(segment: OnCallSegment | undefined) {
  if (segment === undefined) return null;
  return {
    person: segment.person,
    start: new Date(segment.startMs).toISOString(),
    end: new Date(segment.endMs).toISOString(),
    source: segment.source,
    ...(segment.covers === undefined ? {} : { covers: segment.covers }),
  };
}

function overrideView(o: StoredOverride) {
  return {
    id: o.id,
    rotation: o.rotation,
    person: o.person,
    ...(o.covers === undefined ? {} : { covers: o.covers }),
    start: o.start,
    end: o.end,
    createdBy: o.createdBy,
  };
}

/**
 * Who is on call: now and next per rotation, a rotation as an iCal feed, and the overrides
 * (config ones, read-only; api ones added and removed here).
 */
export const onCallRoutes: FastifyPluginCallbackTypebox<OnCallRouteOptions> = (
  app,
  options,
  done,
) => {
  async function overrides() {
    const paging = options.config().paging;
    const stored = await options.paging.overrides(options.nowMs());
    return { paging, all: [...paging.overrides, ...stored], stored };
  }

  app.get(
    '/api/oncall',
    {
      config: { access: 'oncall:read' },
      schema: {
        summary: 'Who is on call now, and next, in each rotation',
        tags: ['oncall'],
        response: {
          200: Type.Object({
            rotations: Type.Array(
              Type.Object({
                name: Type.String(),
                timeZone: Type.String(),
                people: Type.Array(Type.String()),
                now: Nullable(SegmentSchema),
                next: Nullable(SegmentSchema),
              }),
            ),
          }),
          ...errorResponses(...AUTHENTICATED_ERRORS),
        },
      },
    },
    async () => {
      const { paging, all } = await overrides();
      const nowMs = options.nowMs();
      return {
        rotations: paging.rotations.map((rotation) => {
          const { now, next } = onCallNowAndNext(rotation, all, nowMs);
          return {
            name: rotation.name,
            timeZone: rotation.timeZone,
            people: rotation.people,
            now: view(now),
            next: view(next),
          };
        }),
      };
    },
  );

  app.get(
    '/api/oncall/rotations/:name/calendar.ics',
    {
      config: { access: 'oncall:read' },
      schema: {
        summary:
          "A rotation's turns and overrides as an iCalendar feed (a week back, 90 days ahead)",
        tags: ['oncall'],
        params: Type.Object({ name: Type.String({ pattern: '^[A-Za-z0-9._-]{1,100}$' }) }),
        produces: ['text/calendar'],
        response: {
          200: Type.String({ description: 'RFC 5545 text.' }),
          ...errorResponses(400, 404, ...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const { paging, all } = await overrides();
      const rotation = paging.rotations.find((r) => r.name === request.params.name);
      if (rotation === undefined) {
        return reply.code(404).send({
          statusCode: 404,
          error: 'Not Found',
          message: `no rotation ${request.params.name}`,
        });
      }
      const nowMs = options.nowMs();
      const segments = onCallSegments(rotation, all, nowMs - FEED_BACK_MS, nowMs + FEED_AHEAD_MS);
      return reply
        .type('text/calendar; charset=utf-8')
        .send(rotationCalendar(rotation.name, segments, nowMs));
    },
  );

  app.get(
    '/api/oncall/overrides',
    {
      config: { access: 'oncall:read' },
      schema: {
        summary: 'Overrides not yet ended: from the config file, then those added here',
        tags: ['oncall'],
        response: {
          200: Type.Object({ overrides: Type.Array(StoredOverrideSchema) }),
          ...errorResponses(...AUTHENTICATED_ERRORS),
        },
      },
    },
    async () => {
      const { paging, stored } = await overrides();
      const nowMs = options.nowMs();
      return {
        overrides: [
          ...paging.overrides
            .filter((o) => Date.parse(o.end) > nowMs)
            .map((o) => ({ ...o, id: null, createdBy: 'config' })),
          ...stored.map(overrideView),
        ],
      };
    },
  );

  app.post(
    '/api/oncall/overrides',
    {
      config: { access: 'oncall:override' },
      schema: {
        summary: "Add an override: a person takes a rotation's pager from start to end",
        tags: ['oncall'],
        body: OverrideSchema,
        response: {
          201: StoredOverrideSchema,
          ...errorResponses(400, ...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const paging = options.config().paging;
      const body = request.body;
      const bad = (message: string) =>
        reply.code(400).send({ statusCode: 400, error: 'Bad Request', message });
      if (!paging.rotations.some((r) => r.name === body.rotation))
        return bad(`body/rotation: unknown rotation "${body.rotation}"`);
      const people = new Set(paging.people.map((p) => p.name));
      if (!people.has(body.person)) return bad(`body/person: unknown person "${body.person}"`);
      if (body.covers !== undefined && !people.has(body.covers))
        return bad(`body/covers: unknown person "${body.covers}"`);
      if (Date.parse(body.start) >= Date.parse(body.end))
        return bad('body/end: must be after start');
      const stored = await options.paging.addOverride(body, request.principal?.name ?? 'unknown');
      return reply.code(201).send(overrideView(stored));
    },
  );

  app.delete(
    '/api/oncall/overrides/:id',
    {
      config: { access: 'oncall:override' },
      schema: {
        summary: 'Remove an override added through the api',
        tags: ['oncall'],
        params: Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$' }) }),
        response: {
          204: Type.Null({ description: 'Removed.' }),
          ...errorResponses(400, 404, ...AUTHENTICATED_ERRORS),
        },
      },
    },
    async (request, reply) => {
      if (!(await options.paging.deleteOverride(request.params.id))) {
        return reply.code(404).send({
          statusCode: 404,
          error: 'Not Found',
          message: `no override ${request.params.id}`,
        });
      }
      return reply.code(204).send(null);
    },
  );
  done();
};
