import type { IncidentChange } from '@faultline/shared';

/**
 * What a change of an incident does to the people on call: `page` starts an escalation (level 1
 * at once), `repage` pages level 1 again although the incident is acknowledged (it became
 * critical; the acknowledgement sticks, so no escalation follows), `acknowledge` tells the
 * channels that track acknowledgements (PagerDuty, signed webhooks), `resolve` tells everyone who
 * was paged.
 */
export type PageAction = 'page' | 'repage' | 'acknowledge' | 'resolve';

/** What one delivery carries: a page, or a follow-up of one. */
export type DeliveryAction = Exclude<PageAction, 'repage'>;

/**
 * Which changes page, and how. An incident pages when it is opened (announced: a change of an
 * incident in maintenance never reaches here; a flap's re-open is an opening too); its
 * acknowledgement and its resolve follow. An `updated` change pages only when the correlation
 * marked it a re-page (an acknowledged incident turned critical). Pure.
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
      return change.repage === true ? 'repage' : undefined;
  }
}
