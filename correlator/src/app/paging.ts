import type { Config, EscalationPolicy, Incident, Logger } from '@faultline/shared';
import { deliveryJobId, type DeliveryJob, type PagingJob } from '../core/jobs.js';
import {
  followUpDestinations,
  resolveTargets,
  type Destination,
} from '../core/paging/destinations.js';
import { escalationStep } from '../core/paging/escalation.js';
import type { PageAction } from '../core/paging/page-actions.js';
import { pagePayload } from '../core/paging/payload.js';
import { routeIncident } from '../core/paging/routing.js';
import type { PageRecord, PagingQueues, PagingStore } from '../ports.js';

/** What paging needs. */
export interface PagingDeps {
  readonly store: PagingStore;
  readonly queues: PagingQueues;
  /** The paging section, and the inventory that names customers and places devices. */
  readonly config: Pick<Config, 'paging' | 'customers' | 'devices'>;
  readonly nowMs: () => number;
  readonly logger: Logger;
}

/** Paging's use-cases: a change that pages, and a due escalation step. */
export interface Paging {
  onChange(action: PageAction, incident: Incident): Promise<void>;
  onEscalate(job: Extract<PagingJob, { kind: 'escalate' }>): Promise<void>;
}

function channelOf(destination: Destination): string {
  return destination.kind === 'channel' ? destination.type : destination.kind;
}

/**
 * Routes an incident that opens to its escalation policy and runs the policy: each step pages the
 * level's people (every browser they subscribed, their e-mail) and channels, one delivery job
 * each, and leaves the next step as a delayed job; a step that comes due reads the incident first,
 * so an acknowledgement or a resolve made meanwhile stops the escalation. Acknowledgements and
 * resolves follow up to the destinations that were paged. Everything is recorded in `pages`.
 */
export function createPaging(deps: PagingDeps): Paging {
  const { paging } = deps.config;
  const logger = deps.logger.child({ component: 'paging' });
  const customerNames = new Map(deps.config.customers.map((c) => [c.id, c.name]));
  const deviceSites = new Map(deps.config.devices.map((d) => [d.name, d.site]));
  const people = new Map(paging.people.map((p) => [p.name, p]));
  const channels = new Map(paging.channels.map((c) => [c.name, c]));

  function note(
    incidentId: string,
    trigger: number,
    step: number | null,
    status: PageRecord['status'],
    detail: string,
  ): PageRecord {
    return {
      incidentId,
      dedupKey: `${incidentId}-v${String(trigger)}-${status}-${step === null ? 'x' : String(step)}-${detail}`,
      jobId: null,
      action: 'escalation',
      step,
      person: null,
      channel: '',
      destination: null,
      status,
      detail,
    };
  }

  async function destinationsOfPerson(person: string): Promise<Destination[]> {
    const subscriptions = await deps.store.subscriptions(person);
    const email = people.get(person)?.email;
    return [
      ...subscriptions.map((subscriptionId): Destination => ({
        kind: 'webpush',
        person,
        subscriptionId,
      })),
      ...(email !== undefined && paging.smtp !== undefined
        ? [{ kind: 'email', person, address: email } as const]
        : []),
    ];
  }

  async function send(jobs: readonly DeliveryJob[]): Promise<void> {
    if (jobs.length === 0) return;
    // Recorded before they are queued: a resolve finds every destination a page went to.
    await deps.store.record(
      jobs.map((job) => {
        const jobId = deliveryJobId(job);
        return {
          incidentId: job.incidentId,
          dedupKey: `${jobId}-queued`,
          jobId,
          action: job.action,
          step: job.step,
          person: job.person,
          channel: channelOf(job.destination),
          destination: job.destination,
          status: 'queued',
          detail: '',
        };
      }),
    );
    await deps.queues.deliver(jobs);
  }

  /**
   * One step of the escalation that `trigger` (the incident's version when it began) started. A
   * re-page pages level 1 of an acknowledged incident and no further: the acknowledgement stands.
   */
  async function runStep(
    incidentId: string,
    policy: EscalationPolicy,
    step: number,
    trigger: number,
    repage = false,
  ): Promise<void> {
    const incident = await deps.store.incident(incidentId);
    const state = repage && incident?.state === 'acknowledged' ? 'open' : incident?.state;
    const found = escalationStep(policy, step, state);
    const decision = repage && found.kind === 'page' ? { ...found, next: undefined } : found;
    if (decision.kind === 'stop' || incident === undefined) {
      if (step > 0)
        await deps.store.record([
          note(
            incidentId,
            trigger,
            step,
            'stopped',
            `escalation stopped: ${decision.kind === 'stop' ? decision.reason : 'unknown incident'}`,
          ),
        ]);
      return;
    }
    const nowMs = deps.nowMs();
    const overrides = [...paging.overrides, ...(await deps.store.overrides(nowMs))];
    const targets = resolveTargets(decision.targets, paging.rotations, overrides, nowMs);
    const notes = targets.unstaffed.map((rotation) =>
      note(incidentId, trigger, step, 'unstaffed', `nobody on call in rotation ${rotation}`),
    );
    const message = {
      action: 'page' as const,
      payload: pagePayload(incident, 'page', customerNames, paging.publicUrl),
    };
    const jobs: DeliveryJob[] = [];
    for (const { person } of targets.people) {
      const destinations = await destinationsOfPerson(person);
      if (destinations.length === 0)
        notes.push(
          note(
            incidentId,
            trigger,
            step,
            'unreachable',
            `${person} has no browser subscribed and no e-mail`,
          ),
        );
      for (const destination of destinations)
        jobs.push({ incidentId, trigger, action: 'page', step, person, destination, message });
    }
    for (const name of targets.channels) {
      const channel = channels.get(name);
      if (channel === undefined) continue;
      jobs.push({
        incidentId,
        trigger,
        action: 'page',
        step,
        person: null,
        destination: { kind: 'channel', channel: name, type: channel.type },
        message,
      });
    }
    await deps.store.record(notes);
    await send(jobs);
    logger.info(
      { incidentId, policy: policy.name, step, level: decision.level + 1, deliveries: jobs.length },
      'escalation level paged',
    );
    if (decision.next !== undefined) {
      await deps.queues.escalateLater(
        { kind: 'escalate', incidentId, trigger, policy: policy.name, step: decision.next.step },
        decision.next.afterMs,
      );
    }
  }

  async function page(incident: Incident, repage: boolean): Promise<void> {
    const rootDevices = await deps.store.rootDevices(incident);
    const policy = routeIncident(paging.policies, paging.deviceGroups, {
      severity: incident.severity,
      customers: incident.impactedServices.map((s) => s.customerId),
      services: incident.impactedServices.map((s) => s.serviceId),
      devices: rootDevices.map((name) => ({ name, site: deviceSites.get(name) })),
    });
    if (policy === undefined) {
      if (paging.policies.length > 0)
        await deps.store.record([
          note(incident.id, incident.version, null, 'unrouted', 'no escalation policy matches'),
        ]);
      return;
    }
    await runStep(incident.id, policy, 0, incident.version, repage);
  }

  async function followUp(action: 'acknowledge' | 'resolve', incident: Incident): Promise<void> {
    const paged = await deps.store.pagedDestinations(incident.id);
    const payload = pagePayload(incident, 'resolve', customerNames, paging.publicUrl);
    const message = {
      action,
      payload: action === 'resolve' ? payload : { ...payload, kind: 'page' as const },
      ...(incident.acknowledgedBy === null ? {} : { actor: incident.acknowledgedBy }),
    };
    await send(
      followUpDestinations(action, paged).map((destination) => ({
        incidentId: incident.id,
        trigger: incident.version,
        action,
        step: null,
        person: destination.kind === 'channel' ? null : destination.person,
        destination,
        message,
      })),
    );
  }

  return {
    async onChange(action, incident) {
      if (action === 'page' || action === 'repage') await page(incident, action === 'repage');
      else await followUp(action, incident);
    },
    async onEscalate(job) {
      const policy = paging.policies.find((p) => p.name === job.policy);
      if (policy === undefined) {
        await deps.store.record([
          note(
            job.incidentId,
            job.trigger,
            job.step,
            'stopped',
            `escalation policy ${job.policy} no longer configured`,
          ),
        ]);
        return;
      }
      await runStep(job.incidentId, policy, job.step, job.trigger);
    },
  };
}
