/** The parts of an Ajv/fastify validation error this module reads. */
export interface ValidationIssue {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string | undefined;
}

/** How a request part is named in a message to the client. */
export const PART_NAMES: Readonly<Record<string, string>> = {
  querystring: 'query parameter',
  params: 'path parameter',
  body: 'body field',
  headers: 'header',
};

/**
 * Turns the first validation issue of a request into one sentence that names the bad field and
 * what it must be, e.g. `query parameter "state" must be one of: open, active`. Clients fix one
 * field at a time, and a sentence reads better than a list of JSON pointers.
 */
export function validationMessage(
  part: string | undefined,
  issues: readonly ValidationIssue[],
): string {
  const where = (part !== undefined ? PART_NAMES[part] : undefined) ?? 'request field';
  const issue = issues[0];
  if (issue === undefined) return `invalid ${where}`;
  const pointer = issue.instancePath.split('/').filter((segment) => segment !== '');
  if (issue.keyword === 'required' && typeof issue.params.missingProperty === 'string') {
    pointer.push(issue.params.missingProperty);
    return `${where} "${pointer.join('.')}" is required`;
  }
  const field = pointer.length > 0 ? `${where} "${pointer.join('.')}"` : where;
  if (issue.keyword === 'enum' && Array.isArray(issue.params.allowedValues)) {
    const allowed = issue.params.allowedValues.map((value) => String(value)).join(', ');
    return `${field} must be one of: ${allowed}`;
  }
  if (
    issue.keyword === 'additionalProperties' &&
    typeof issue.params.additionalProperty === 'string'
  ) {
    return `${where} "${issue.params.additionalProperty}" is not allowed`;
  }
  return `${field} ${issue.message ?? 'is invalid'}`;
}
