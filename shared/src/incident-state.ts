/**
 * Redis keys of the hot incident state, under the deployment prefix. The correlator writes them
 * with each incident change it publishes on `channels(prefix).incidents`, in one MULTI; the api
 * reads them for a snapshot of what is unresolved now without PostgreSQL.
 */
export function incidentStateKeys(prefix: string) {
  return {
    /** Hash of the unresolved incidents: field = incident id, value = `Incident` JSON. */
    openIncidents: `${prefix}:incidents:open`,
  } as const;
}
