import type { Incident } from '@faultline/shared';
import { SEVERITY_LOOKS } from './severity.js';

/** Whether this browser can show notifications, and whether the user allowed them. */
export function notificationState(): NotificationPermission | 'unsupported' {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Shows a browser notification for a new incident, if allowed; a click opens its page. */
export function notifyIncident(incident: Incident, open: (path: string) => void): void {
  if (notificationState() !== 'granted') return;
  const notification = new Notification(
    `${SEVERITY_LOOKS[incident.severity].label} incident: ${incident.title}`,
    { body: `Incident ${incident.id}, ticket ${incident.ticketId}`, tag: incident.id },
  );
  notification.onclick = () => {
    window.focus();
    open(`/incidents/${encodeURIComponent(incident.id)}`);
  };
}
