import type { Page } from './incident-list.js';
import { SEVERITY_LOOKS } from './severity.js';

/** Whether this browser can show notifications, and whether the user allowed them. */
export function notificationState(): NotificationPermission | 'unsupported' {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/**
 * Shows a browser notification for a page (a new incident, or one that pages again, saying why),
 * if allowed; a click opens the incident's page.
 */
export function notifyIncident(page: Page, open: (path: string) => void): void {
  if (notificationState() !== 'granted') return;
  const { incident, reasons } = page;
  const ids = `Incident ${incident.id}, ticket ${incident.ticketId}`;
  const notification = new Notification(
    `${SEVERITY_LOOKS[incident.severity].label} incident: ${incident.title}`,
    {
      body: reasons.length === 0 ? ids : `${reasons.join('; ')}. ${ids}`,
      tag: incident.id,
    },
  );
  notification.onclick = () => {
    window.focus();
    open(`/incidents/${encodeURIComponent(incident.id)}`);
  };
}
