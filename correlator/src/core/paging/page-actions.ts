import type { IncidentChange } from '@faultline/shared';

/**
 * What a change of an incident does to the people on call: `page` starts an escalation (level 1
 * at once), `acknowledge` tells the channels that track acknowledgements (PagerDuty, signed
 * webhooks), `resolve` tells everyone who was paged.
 */
export type PageAction = 'page' | 'acknowledge' | 'resolve';

/**
 * Which changes page, and how. An incident pages when it is opened (announced: a change of an
 * incident in maintenance never reaches here); its acknowledgement and its resolve follow. An
 * `updated` change pages nobody today: this is the one place to decide that one does (a re-page,
 * e.g. an acknowledged incident whose severity became critical). Pure.
 */
export function pageActionOf(change: IncidentChange): PageAction | undefined {
  switch (change.kind) {
    case 'opened':
      return 'page';
    case 'acknowledged':
      return 'acknowledge';
    case 'resolved':
      return 'resolve';
    case 'updated':
      return undefined;
  }
}
