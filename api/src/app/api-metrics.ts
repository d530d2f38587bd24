/**
 * The api's own counters, rendered in the Prometheus text format. Labels are bounded: routes are
 * the registered route patterns (never raw URLs), so a scanner cannot grow the series without end.
 */
export interface ApiMetrics {
  countRequest(method: string, route: string, statusCode: number): void;
  socketConnected(): void;
  socketDisconnected(): void;
  countRelayed(changes: number): void;
  countDropped(): void;
  render(): string;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Creates an empty set of api metrics. */
export function createApiMetrics(): ApiMetrics {
  const requests = new Map<string, number>();
  let sockets = 0;
  let relayed = 0;
  let batches = 0;
  let dropped = 0;
  return {
    countRequest(method, route, statusCode) {
      const key = `method="${escapeLabel(method)}",route="${escapeLabel(route)}",status="${String(statusCode)}"`;
      requests.set(key, (requests.get(key) ?? 0) + 1);
    },
    socketConnected() {
      sockets += 1;
    },
    socketDisconnected() {
      sockets -= 1;
    },
    countRelayed(changes) {
      relayed += changes;
      batches += 1;
    },
    countDropped() {
      dropped += 1;
    },
    render() {
      const lines = [
        '# HELP faultline_api_http_requests_total HTTP requests answered, by route pattern and status.',
        '# TYPE faultline_api_http_requests_total counter',
        ...[...requests].map(
          ([labels, n]) => `faultline_api_http_requests_total{${labels}} ${String(n)}`,
        ),
        '# HELP faultline_api_socket_connections Live socket.io connections on this node.',
        '# TYPE faultline_api_socket_connections gauge',
        `faultline_api_socket_connections ${String(sockets)}`,
        '# HELP faultline_api_alarm_changes_relayed_total Alarm changes pushed to dashboards after coalescing.',
        '# TYPE faultline_api_alarm_changes_relayed_total counter',
        `faultline_api_alarm_changes_relayed_total ${String(relayed)}`,
        '# HELP faultline_api_alarm_batches_total Batches of alarm changes pushed to dashboards.',
        '# TYPE faultline_api_alarm_batches_total counter',
        `faultline_api_alarm_batches_total ${String(batches)}`,
        '# HELP faultline_api_alarm_changes_dropped_total Alarm changes dropped because a buffer was full.',
        '# TYPE faultline_api_alarm_changes_dropped_total counter',
        `faultline_api_alarm_changes_dropped_total ${String(dropped)}`,
      ];
      return `${lines.join('\n')}\n`;
    },
  };
}
