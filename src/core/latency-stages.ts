/**
 * The stages of the path from a market message to an order on the wire, in order. Histograms are keyed
 * by these names (LatencyRegistry in src/main/metrics), so RPC, health and bench all speak one list.
 */
export const LATENCY_STAGES = ['receive', 'parse', 'bus', 'to-worker', 'strategy', 'risk', 'gate', 'sign', 'submit'] as const;

export type LatencyStage = (typeof LATENCY_STAGES)[number];

/** Where a component records how long a stage took, in microseconds (LatencyRegistry.record). */
export type LatencySink = (stage: LatencyStage, micros: number) => void;
