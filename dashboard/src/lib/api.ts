/** An answer of the api that was not a success, with the api's message for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  token: string,
  body?: unknown,
  idempotencyKey?: string,
): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
  const response = await fetch(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const parsed: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const message =
      typeof parsed === 'object' && parsed !== null && 'message' in parsed
        ? String(parsed.message)
        : `the api answered ${String(response.status)}`;
    throw new ApiError(response.status, message);
  }
  return parsed as T;
}

/** GETs JSON from the api with the bearer token. */
export function getJson<T>(path: string, token: string): Promise<T> {
  return call<T>('GET', path, token);
}

/** POSTs JSON to the api with the bearer token (the api's message is in a failure's ApiError). */
export function postJson<T>(path: string, token: string, body: unknown): Promise<T> {
  return call<T>('POST', path, token, body);
}

/** DELETEs with a JSON body and the bearer token. */
export function deleteJson(path: string, token: string, body: unknown): Promise<unknown> {
  return call<unknown>('DELETE', path, token, body);
}

/** A random idempotency key. `crypto.randomUUID` needs a secure context; a NOC may use plain HTTP. */
function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** POSTs a command with a fresh idempotency key (the api requires letters, digits, - or _). */
export function postCommand<T>(path: string, token: string, body?: unknown): Promise<T> {
  return call<T>('POST', path, token, body, newKey());
}
