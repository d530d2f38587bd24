import { Type, type Static } from '@sinclair/typebox';
import { AlarmSchema } from './alarm.js';
import { IncidentSchema } from './incident.js';

/**
 * Name of the BullMQ queue that carries people's commands (acknowledge, assign, comment, resolve)
 * from the api to the correlator, the only writer of alarms and incidents. The api adds one job
 * per request and waits for its result; the job's return value is a `CommandResult`.
 */
export const COMMANDS_QUEUE = 'commands';

/** A request id: letters, digits, '-' and '_' (it becomes part of a BullMQ job id, so no ':'). */
export const RequestIdSchema = Type.String({ pattern: '^[A-Za-z0-9_-]{1,100}$' });

const Actor = Type.String({ minLength: 1, maxLength: 100, description: "The token's name." });
const IncidentId = Type.String({ minLength: 1, maxLength: 200 });

/** Acknowledge an open incident: someone is on it. */
export const AcknowledgeIncidentCommandSchema = Type.Object(
  { kind: Type.Literal('incident.acknowledge'), incidentId: IncidentId, actor: Actor },
  { additionalProperties: false },
);

/** Assign an unresolved incident (and its ticket) to someone. */
export const AssignIncidentCommandSchema = Type.Object(
  {
    kind: Type.Literal('incident.assign'),
    incidentId: IncidentId,
    actor: Actor,
    assignee: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { additionalProperties: false },
);

/** Add a comment to an incident's ticket timeline; `requestId` makes it idempotent. */
export const CommentIncidentCommandSchema = Type.Object(
  {
    kind: Type.Literal('incident.comment'),
    incidentId: IncidentId,
    actor: Actor,
    text: Type.String({ minLength: 1, maxLength: 4000 }),
    requestId: RequestIdSchema,
  },
  { additionalProperties: false },
);

/** Resolve an incident by hand, with an optional note. */
export const ResolveIncidentCommandSchema = Type.Object(
  {
    kind: Type.Literal('incident.resolve'),
    incidentId: IncidentId,
    actor: Actor,
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
  },
  { additionalProperties: false },
);

/** Acknowledge an open alarm. */
export const AcknowledgeAlarmCommandSchema = Type.Object(
  {
    kind: Type.Literal('alarm.acknowledge'),
    alarmId: Type.String({ format: 'uuid' }),
    actor: Actor,
  },
  { additionalProperties: false },
);

/** One command: the payload of a job on the `commands` queue. */
export const CommandSchema = Type.Union([
  AcknowledgeIncidentCommandSchema,
  AssignIncidentCommandSchema,
  CommentIncidentCommandSchema,
  ResolveIncidentCommandSchema,
  AcknowledgeAlarmCommandSchema,
]);

/** One command. */
export type Command = Static<typeof CommandSchema>;

/**
 * Why a command changed nothing: no such incident or alarm, or it is already resolved (incident)
 * or cleared (alarm).
 */
export const CommandRefusalSchema = Type.Union([
  Type.Literal('not-found'),
  Type.Literal('resolved'),
  Type.Literal('cleared'),
]);

/** Why a command changed nothing. */
export type CommandRefusal = Static<typeof CommandRefusalSchema>;

/**
 * The return value of a command job. On success it carries the incident or alarm as it stands
 * after the command (also when the command changed nothing, e.g. a second acknowledge);
 * `changed` tells which.
 */
export const CommandResultSchema = Type.Union([
  Type.Object(
    {
      ok: Type.Literal(true),
      changed: Type.Boolean(),
      incident: Type.Optional(IncidentSchema),
      alarm: Type.Optional(AlarmSchema),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { ok: Type.Literal(false), error: CommandRefusalSchema },
    { additionalProperties: false },
  ),
]);

/** The return value of a command job. */
export type CommandResult = Static<typeof CommandResultSchema>;
