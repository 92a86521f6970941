import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one hub process; a registry per hub so tests can run several in one process. */
export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  socketsConnected: Gauge;
  eventsRelayed: Counter;
  relayLag: Histogram;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const socketsConnected = new Gauge({
    name: 'socketio_connected_sockets',
    help: 'Sockets connected to this process',
    registers: [registry],
  });
  const eventsRelayed = new Counter({
    name: 'outbox_events_relayed_total',
    help: 'Outbox events emitted by this process',
    registers: [registry],
  });
  const relayLag = new Histogram({
    name: 'outbox_relay_lag_seconds',
    help: 'From the event row being written to its emit',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return { registry, httpDuration, socketsConnected, eventsRelayed, relayLag };
}
