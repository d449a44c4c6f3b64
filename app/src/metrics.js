// Hand-written Prometheus counters in the text exposition format (version 0.0.4).
export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export function createMetrics() {
  const requests = new Map(); // `${method} ${status}` -> count
  let notesCreated = 0;
  return {
    countRequest(method, status) {
      const key = `${method} ${status}`;
      requests.set(key, (requests.get(key) ?? 0) + 1);
    },
    countNoteCreated() {
      notesCreated += 1;
    },
    render() {
      const lines = [
        "# HELP example_app_http_requests_total HTTP requests served, by method and status code.",
        "# TYPE example_app_http_requests_total counter",
      ];
      for (const [key, count] of [...requests].sort()) {
        const [method, status] = key.split(" ");
        lines.push(`example_app_http_requests_total{method="${method}",status="${status}"} ${count}`);
      }
      lines.push(
        "# HELP example_app_notes_created_total Notes stored since the process started.",
        "# TYPE example_app_notes_created_total counter",
        `example_app_notes_created_total ${notesCreated}`,
      );
      return lines.join("\n") + "\n";
    },
  };
}
