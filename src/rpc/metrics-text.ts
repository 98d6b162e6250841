import { Counter, Gauge, Registry } from 'prom-client';
import type { ControlFacade } from '../main/control/facade.js';
import type { RpcStats } from './stats.js';

export const PROMETHEUS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/**
 * GET /metrics in Prometheus text format, written by prom-client: the engine (state, counters per bus
 * topic, trading switches), the control plane's own counters (requests, errors, refusals and limits by
 * kind, connections) and every latency stage's percentiles from its HDR histogram. The values live in
 * the engine and are read at scrape time, so each scrape fills a fresh registry. Percentiles cannot be
 * merged across engines; for that, fetch the encoded histograms with `metrics.latency` and add them.
 */
export function metricsText(facade: ControlFacade, stats: RpcStats, hub: { topics: number; sinks: number }): Promise<string> {
  const registry = new Registry();
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) => new Gauge<L>({ name, help, labelNames, registers: [registry] });
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) => new Counter<L>({ name, help, labelNames, registers: [registry] });
  const status = facade.status();
  const health = facade.health();

  gauge('osprey_up', 'Always 1 while the control socket answers.').set(1);
  gauge('osprey_uptime_seconds', 'Seconds since the engine started.').set(status.uptimeS);
  const component = gauge('osprey_component_state', 'Lifecycle state of each component (1 for the current state).', ['component', 'state']);
  for (const c of [{ name: 'engine', state: status.state }, ...status.components]) component.set({ component: c.name, state: c.state }, 1);
  gauge('osprey_health_status', 'Health status word (1 for the current one).', ['status']).set({ status: health.status }, 1);
  gauge('osprey_trading_paused', '1 while engine.pause is in force.').set(status.paused ? 1 : 0);
  gauge('osprey_trading_state', 'Trading state (1 for the current one).', ['state']).set({ state: status.tradingState }, 1);

  const published = counter('osprey_bus_events_total', 'Events published on the bus, by topic.', ['topic']);
  const failed = counter('osprey_bus_subscriber_failures_total', 'Subscriber errors isolated by the bus, by topic.', ['topic']);
  for (const [topic, c] of Object.entries(facade.busCounters())) {
    published.inc({ topic }, c.published);
    failed.inc({ topic }, c.failed);
  }

  gauge('osprey_event_loop_delay_p99_seconds', 'p99 event-loop delay over the last window.').set(health.eventLoop.p99Ms / 1000);
  gauge('osprey_resident_memory_bytes', 'Resident set size.').set(Math.round(health.memory.rssMb * 1024 * 1024));

  const requests = counter('osprey_rpc_requests_total', 'JSON-RPC requests by method ("unknown" for names not served).', ['method']);
  for (const [method, n] of stats.requests) requests.inc({ method }, n);
  const errors = counter('osprey_rpc_errors_total', 'JSON-RPC error replies by code.', ['code']);
  for (const [code, n] of stats.errors) errors.inc({ code: String(code) }, n);
  const refused = counter('osprey_rpc_refused_total', 'Requests or connections refused, by reason.', ['reason']);
  for (const [reason, n] of Object.entries(stats.refusals)) refused.inc({ reason }, n);
  const limited = counter('osprey_rpc_limited_total', 'Limits that tripped, by limit.', ['limit']);
  for (const [limit, n] of Object.entries(stats.limits)) limited.inc({ limit }, n);
  gauge('osprey_rpc_connections', 'WebSocket connections open.').set(stats.openConnections);
  counter('osprey_rpc_connections_accepted_total', 'WebSocket connections accepted.').inc(stats.acceptedConnections);
  counter('osprey_rpc_http_requests_total', 'HTTP requests answered.').inc(stats.httpRequests);
  counter('osprey_rpc_notifications_total', 'Event notifications written to subscribers.').inc(stats.notifications);
  gauge('osprey_rpc_subscribed_topics', 'Topics with at least one subscriber.').set(hub.topics);

  const latency = gauge('osprey_stage_latency_seconds', 'Latency per stage at a quantile, from its HDR histogram (merge encoded histograms via metrics.latency).', ['stage', 'quantile']);
  const samples = counter('osprey_stage_latency_samples_total', 'Latency samples recorded per stage.', ['stage']);
  for (const s of facade.latencyReport().stages) {
    for (const [quantile, us] of [['0.5', s.p50Us], ['0.9', s.p90Us], ['0.99', s.p99Us], ['0.999', s.p999Us]] as const) latency.set({ stage: s.stage, quantile }, us / 1e6);
    samples.inc({ stage: s.stage }, s.count);
  }
  return registry.metrics();
}
