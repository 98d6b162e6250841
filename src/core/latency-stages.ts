/**
 * The stages of the path from a market message to an order on the wire, in order. Histograms are keyed
 * by these names (LatencyRegistry in src/main/metrics), so RPC, health and bench all speak one list.
 * The engine records parse and bus (Hyperliquid's market decoder stream), to-worker, strategy and risk
 * (strategy host), gate and submit (executor) and sign (Hyperliquid exchange). Nothing records `receive`
 * yet: the WebSocket client hands over whole messages and offers no hook between the socket read and
 * the handler, and venue timestamps (ms, on the venue's clock) cannot stand in for it.
 */
export const LATENCY_STAGES = ['receive', 'parse', 'bus', 'to-worker', 'strategy', 'risk', 'gate', 'sign', 'submit'] as const;

export type LatencyStage = (typeof LATENCY_STAGES)[number];

/** Where a component records how long a stage took, in microseconds (LatencyRegistry.record). */
export type LatencySink = (stage: LatencyStage, micros: number) => void;
