import { ApiError, deleteJson, getJson, postJson } from './api.js';

/**
 * Web Push pages in this browser: `on` when it holds a push subscription (posted to the api for
 * the signed-in person), `off` when it could, `blocked` when notifications are denied, and
 * `unsupported` without service workers or push (or outside a secure context: https, or
 * localhost / 127.0.0.1).
 */
export type PagesState = 'unsupported' | 'blocked' | 'off' | 'on';

/** The service worker: built at the root so its scope is the whole app. */
const WORKER = '/sw.js';

function supported(): boolean {
  return (
    window.isSecureContext &&
    'serviceWorker' in navigator &&
    'PushManager' in window &&
    typeof Notification !== 'undefined'
  );
}

async function currentSubscription(): Promise<PushSubscription | null> {
  const registration = await navigator.serviceWorker.getRegistration('/');
  return (await registration?.pushManager.getSubscription()) ?? null;
}

/** Whether this browser gets pages. */
export async function pagesState(): Promise<PagesState> {
  if (!supported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'blocked';
  return (await currentSubscription()) === null ? 'off' : 'on';
}

/**
 * Enables pages (docs/oncall.md, the service worker's contract): asks for notifications,
 * registers the service worker, subscribes with the installation's VAPID key, and posts the
 * subscription JSON to the api, which pages the token's name on it. Throws with the step that
 * failed.
 */
export async function enablePages(token: string): Promise<void> {
  if ((await Notification.requestPermission()) !== 'granted') {
    throw new Error('notifications are not allowed in this browser');
  }
  await navigator.serviceWorker.register(WORKER, { scope: '/' });
  const registration = await navigator.serviceWorker.ready;
  const { publicKey } = await getJson<{ publicKey: string }>('/api/paging/vapid-public-key', token);
  let subscription: PushSubscription;
  try {
    subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: publicKey,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`the browser's push service refused: ${reason}`, { cause: error });
  }
  await postJson('/api/paging/subscriptions', token, subscription.toJSON());
}

/** Stops pages to this browser: the api forgets the endpoint, then the browser drops it. */
export async function disablePages(token: string): Promise<void> {
  const subscription = await currentSubscription();
  if (subscription === null) return;
  try {
    await deleteJson('/api/paging/subscriptions', token, { endpoint: subscription.endpoint });
  } catch (error) {
    // 404: the api had forgotten it already (a push service answered 410, or another person).
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  }
  await subscription.unsubscribe();
}
