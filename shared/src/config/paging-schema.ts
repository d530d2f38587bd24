import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { SeveritySchema } from '../severity.js';

const strict = { additionalProperties: false } as const;
const Name = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' });
const HttpUrl = Type.String({ pattern: '^https?://[^\\s]+$' });
/** An instant with an explicit zone, e.g. `2026-12-24T18:00:00+01:00`. */
const Instant = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$',
});

function list<T extends TSchema>(item: T) {
  return Type.Array(item, { default: [] });
}

/** A person who can be paged: `name` is the api token's name, so a signed-in browser is theirs. */
export const PagerPersonSchema = Type.Object(
  {
    name: Name,
    /** Pages also go to this address by e-mail, when `paging.smtp` is set. */
    email: Type.Optional(Type.String({ pattern: '^[^\\s@]+@[^\\s@]+$' })),
  },
  strict,
);

/**
 * An on-call rotation: the people take turns of `shiftDays` days each, in order, the first turn
 * starting on local day `start` at local time `handoff` in `timeZone` (handoffs follow the zone's
 * daylight saving changes: always at `handoff` local time).
 */
export const RotationSchema = Type.Object(
  {
    name: Name,
    timeZone: Type.String({ minLength: 1 }),
    /** The local day the first turn starts, `YYYY-MM-DD`. */
    start: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    /** Local time of each handoff, `HH:MM`. */
    handoff: Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', default: '09:00' }),
    shiftDays: Type.Integer({ minimum: 1, maximum: 366, default: 7 }),
    people: Type.Array(Name, { minItems: 1 }),
  },
  strict,
);

/** `person` takes a rotation's pager during `[start, end)`, whoever's turn it is. */
export const OverrideSchema = Type.Object(
  {
    rotation: Name,
    person: Name,
    start: Instant,
    end: Instant,
    /** Whom the person covers, for the record (the rotation's on-call of that time otherwise). */
    covers: Type.Optional(Name),
  },
  strict,
);

/** A team channel: one message per page, whoever is on call. */
export const PagingChannelSchema = Type.Union([
  Type.Object(
    {
      name: Name,
      /** Slack- and Teams-compatible incoming webhooks. */
      type: Type.Union([Type.Literal('slack'), Type.Literal('teams')]),
      url: HttpUrl,
    },
    strict,
  ),
  Type.Object(
    {
      name: Name,
      /** PagerDuty Events API v2-compatible (`https://events.pagerduty.com/v2/enqueue`). */
      type: Type.Literal('pagerduty'),
      url: HttpUrl,
      /** The integration's routing key (a secret). */
      routingKey: Type.String({ minLength: 1 }),
    },
    strict,
  ),
  Type.Object(
    {
      name: Name,
      /** Generic JSON, signed with HMAC-SHA256 over `<timestamp>.<body>`. */
      type: Type.Literal('webhook'),
      url: HttpUrl,
      /** The HMAC key (a secret). */
      secret: Type.String({ minLength: 16 }),
    },
    strict,
  ),
  Type.Object(
    {
      name: Name,
      /** E-mail to fixed addresses, through `paging.smtp`. */
      type: Type.Literal('email'),
      to: Type.Array(Type.String({ pattern: '^[^\\s@]+@[^\\s@]+$' }), { minItems: 1 }),
    },
    strict,
  ),
]);

/** Whom one escalation level pages: the on-call of a rotation, a person, or a team channel. */
export const PageTargetSchema = Type.Union([
  Type.Object({ rotation: Name }, strict),
  Type.Object({ person: Name }, strict),
  Type.Object({ channel: Name }, strict),
]);

/** Which incidents a policy takes: every list given must match (an empty or absent list: any). */
export const PolicyMatchSchema = Type.Object(
  {
    customers: Type.Optional(Type.Array(Name)),
    services: Type.Optional(Type.Array(Name)),
    /** Device groups (`paging.deviceGroups`) one of the incident's root devices belongs to. */
    deviceGroups: Type.Optional(Type.Array(Name)),
    severities: Type.Optional(Type.Array(SeveritySchema)),
  },
  strict,
);

/**
 * An escalation policy: level 1 pages at once; when nobody acknowledged `escalateAfterMin`
 * minutes after a level, the next level pages; after the last level the levels run again
 * `repeat` more times. The first policy (in order) whose `match` fits an incident takes it.
 */
export const EscalationPolicySchema = Type.Object(
  {
    name: Name,
    match: Type.Object(PolicyMatchSchema.properties, { ...strict, default: {} }),
    levels: Type.Array(
      Type.Object(
        {
          targets: Type.Array(PageTargetSchema, { minItems: 1 }),
          escalateAfterMin: Type.Number({ exclusiveMinimum: 0, maximum: 1440, default: 5 }),
        },
        strict,
      ),
      { minItems: 1 },
    ),
    repeat: Type.Integer({ minimum: 0, maximum: 20, default: 0 }),
  },
  strict,
);

/** Named sets of devices, for routing: by name or by site. */
export const DeviceGroupSchema = Type.Object(
  { name: Name, devices: list(Name), sites: list(Type.String()) },
  strict,
);

/** The SMTP server e-mail pages go through. */
export const SmtpSchema = Type.Object(
  {
    host: Type.String({ minLength: 1 }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 587 }),
    /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
    secure: Type.Boolean({ default: false }),
    user: Type.Optional(Type.String()),
    /** A secret. */
    password: Type.Optional(Type.String()),
    from: Type.String({ minLength: 3 }),
  },
  strict,
);

/** On-call paging: people, rotations, escalation policies and the channels they page through. */
export const PagingSchema = Type.Object(
  {
    /** The dashboard's public address, for the incident links in pages. */
    publicUrl: Type.String({ pattern: '^https?://[^\\s]+$', default: 'http://127.0.0.1:8080' }),
    people: list(PagerPersonSchema),
    rotations: list(RotationSchema),
    overrides: list(OverrideSchema),
    channels: list(PagingChannelSchema),
    deviceGroups: list(DeviceGroupSchema),
    policies: list(EscalationPolicySchema),
    smtp: Type.Optional(SmtpSchema),
    webPush: Type.Object(
      {
        /** The VAPID subject: a `mailto:` or `https:` contact for the push services. */
        subject: Type.String({
          pattern: '^(mailto:|https://)\\S+$',
          default: 'mailto:noc@localhost',
        }),
        /** Accept `http://` subscription endpoints on loopback. For tests only. */
        allowLoopbackHttp: Type.Boolean({ default: false }),
      },
      { ...strict, default: {} },
    ),
    /** Delivery attempts per page and channel before it is given up (exponential backoff). */
    attempts: Type.Integer({ minimum: 1, maximum: 100, default: 8 }),
    /** First retry delay, seconds; each retry doubles it. */
    backoffS: Type.Number({ exclusiveMinimum: 0, maximum: 3600, default: 2 }),
    /** Seconds one delivery may take. */
    timeoutS: Type.Number({ exclusiveMinimum: 0, maximum: 300, default: 10 }),
  },
  strict,
);

/** The paging section. */
export type PagingConfig = Static<typeof PagingSchema>;
/** An on-call rotation. */
export type Rotation = Static<typeof RotationSchema>;
/** An on-call override. */
export type Override = Static<typeof OverrideSchema>;
/** A team paging channel. */
export type PagingChannel = Static<typeof PagingChannelSchema>;
/** One target of an escalation level. */
export type PageTarget = Static<typeof PageTargetSchema>;
/** An escalation policy. */
export type EscalationPolicy = Static<typeof EscalationPolicySchema>;
/** A device group. */
export type DeviceGroup = Static<typeof DeviceGroupSchema>;
/** The SMTP settings. */
export type SmtpConfig = Static<typeof SmtpSchema>;
