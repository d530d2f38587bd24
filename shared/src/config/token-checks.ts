import type { Problem } from '../validate.js';
import type { ApiToken } from './schema.js';

/**
 * Digests of tokens that were printed in Faultline's own files, and so are known to anyone: the
 * wall-display token of the first example config ("noc-wall-demo-token-change-me").
 */
const PUBLISHED_DIGESTS: ReadonlySet<string> = new Set([
  '1054b73c5b6338603a11c2464bdcf6e69fcd85322e85da9c2b652c6a8e14a77e',
]);

/**
 * API tokens that cannot be what the operator meant: a token entered twice (the api would give it
 * the role of whichever entry came first), and a token whose value was published.
 */
export function apiTokenProblems(tokens: readonly ApiToken[]): Problem[] {
  const problems: Problem[] = [];
  const firstWithDigest = new Map<string, number>();
  tokens.forEach((token, t) => {
    const path = `api.tokens.${String(t)}.sha256`;
    const first = firstWithDigest.get(token.sha256);
    if (first === undefined) firstWithDigest.set(token.sha256, t);
    else {
      problems.push({
        path,
        message: `the same token as api.tokens.${String(first)}: a token has one entry, with one role`,
      });
    }
    if (PUBLISHED_DIGESTS.has(token.sha256)) {
      problems.push({
        path,
        message: "is the demo token published in Faultline's example config: make your own",
      });
    }
  });
  return problems;
}
