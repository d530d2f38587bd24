/**
 * Redis keys of the hot alarm state, under the deployment prefix. The correlator writes them after
 * each committed batch; the api reads them to answer "what is open now" without PostgreSQL.
 */
export function hotStateKeys(prefix: string) {
  return {
    /**
     * Hash of the open (active or acknowledged) alarms: field = reduction key, value = `Alarm`
     * JSON. A cleared alarm's field is removed.
     */
    openAlarms: `${prefix}:alarms:open`,
  } as const;
}
