/** What one POST to a notification endpoint sends. */
export interface EndpointPost {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array;
  readonly timeoutMs: number;
}

/**
 * POSTs once to a notification endpoint (a team channel's webhook, a browser's push service) and
 * gives back the status of whatever answered; the answer's body is not read. Redirects are
 * refused: a channel URL is configured, not discovered. A timeout or a network error is thrown as
 * `<who> timed out` or `<who> unreachable`, the transport's error as its cause: never the URL,
 * which for Slack or Teams is itself a secret.
 */
export async function postToEndpoint(who: string, post: EndpointPost): Promise<number> {
  try {
    const response = await fetch(post.url, {
      method: 'POST',
      headers: post.headers,
      body: post.body,
      signal: AbortSignal.timeout(post.timeoutMs),
      redirect: 'error',
    });
    await response.body?.cancel();
    return response.status;
  } catch (error) {
    const reason =
      error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'unreachable';
    throw new Error(`${who} ${reason}`, { cause: error });
  }
}
