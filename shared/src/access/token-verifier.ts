import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiToken, Role } from '../config/schema.js';

/** Who made a request: the configured token's name and role. */
export interface Principal {
  readonly name: string;
  readonly role: Role;
}

/** Resolves a presented bearer token to its principal, or undefined when it matches none. */
export type TokenVerifier = (token: string | undefined) => Principal | undefined;

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Builds the verifier from the configured tokens (stored as SHA-256 hex digests) and the
 * bootstrap tokens of the environment: `admin` with the admin role, `wall` with the viewer role. The presented token is hashed and compared with every digest in
 * constant time, without stopping at the first match, so timing reveals neither which entry
 * matched nor how much of a digest did.
 */
export function createTokenVerifier(deps: {
  tokens: readonly ApiToken[];
  adminToken: string | undefined;
  viewerToken?: string | undefined;
}): TokenVerifier {
  const entries: { principal: Principal; digest: Buffer }[] = [];
  for (const token of deps.tokens) {
    entries.push({
      principal: { name: token.name, role: token.role },
      digest: Buffer.from(token.sha256, 'hex'),
    });
  }
  const bootstrap: [Principal, string | undefined][] = [
    [{ name: 'admin', role: 'admin' }, deps.adminToken],
    [{ name: 'wall', role: 'viewer' }, deps.viewerToken],
  ];
  for (const [principal, token] of bootstrap) {
    if (token !== undefined && token !== '') entries.push({ principal, digest: sha256(token) });
  }
  return (token) => {
    if (token === undefined || token === '' || token.length > 1024) return undefined;
    const presented = sha256(token);
    let found: Principal | undefined;
    for (const entry of entries) {
      if (timingSafeEqual(presented, entry.digest) && found === undefined) found = entry.principal;
    }
    return found;
  };
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
