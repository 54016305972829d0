/** The memory target: the peak resident set of every Node service under the bench. */
export const SERVICE_PEAK_RSS_TARGET_MIB = 150;

/** What `npm run bench:system` measured (its `BENCH_RESULT` file). */
export interface SystemResult {
  readonly ingest: {
    readonly requests: number;
    readonly concurrency: number;
    readonly writesPerSecond: number;
    readonly baselinePerSecond: number;
  };
  readonly rawKafka: {
    readonly messages: number;
    readonly bytes: number;
    readonly producePerSecond: number;
    readonly consumePerSecond: number;
  };
  /** At the offered rate (`BENCH_E2E_RATE`, 1,000 writes/s). */
  readonly endToEnd: EndToEndResult;
  /** At half the ingest rate measured in the same run: a rate the stack sustains. */
  readonly endToEndSustained: EndToEndResult;
  /** Cores each process used during a phase (1 = one core busy throughout). */
  readonly cpuCores: {
    readonly ingest: Record<string, number>;
    readonly endToEnd: Record<string, number>;
  };
  /** Peak resident set per process of the stack, MiB (Postgres: its largest process). */
  readonly peakRssMiB: Record<string, number>;
  /** Each service SIGKILLed in turn, restarted by the launcher's supervisor. */
  readonly recovery: RecoveryResult;
}

/** Per service, from its SIGKILL, in ms (NaN: not back within the bench's patience). */
export type RecoveryResult = readonly {
  readonly service: string;
  /** Until a write through the gateway that needs the service succeeded and its /live update arrived. */
  readonly backMs: number;
  /** Until its `/health/ready` answered 200. */
  readonly readyMs: number;
}[];

/** What `npm run bench:broker` measured. */
export interface BrokerResult {
  readonly scenarios: readonly {
    readonly scenario: string;
    readonly messagesPerSecond: number;
  }[];
  readonly latencyMs: { readonly p50: number; readonly p99: number };
}

/** What `npm run bench:projection` measured (its median round of three). */
export interface ProjectionResult {
  readonly events: number;
  readonly rawConsumePerSecond: number;
  /** A consume that parses and validates every message, as the projection does, and nothing else. */
  readonly validatedConsumePerSecond: number;
  readonly projectionPerSecond: number;
  /** `projectionPerSecond` over `validatedConsumePerSecond`. */
  readonly ratio: number;
  readonly luaSeconds: number;
}

/** Query times of one kind, in ms. */
export interface Quantiles {
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

/** `bench:time-travel`: folding the whole log, then reads at a time (apps/projection-service). */
export interface TimeTravelResult {
  readonly events: number;
  readonly ticks: number;
  readonly checkpointEvery: number;
  /** From start until both timelines were built. */
  readonly foldSeconds: number;
  readonly rssMiB: number;
  readonly queries: number;
  readonly all: Quantiles;
  readonly asOf: Quantiles;
  readonly knownAt: Quantiles;
}

/** One end-to-end run: HTTP 2xx of a write → its update on a `/live` socket. */
export interface EndToEndResult {
  readonly sockets: number;
  readonly offeredPerSecond: number;
  readonly achievedPerSecond: number;
  readonly failed: number;
  /** Non-2xx answers by HTTP status (0: the request itself failed). */
  readonly failedByStatus: Record<string, number>;
  readonly missing: number;
  readonly samples: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  /** The path in two: HTTP 2xx → event on Kafka (the outbox relay), on Kafka → socket. */
  readonly legs: {
    readonly toKafka: { readonly p50Ms: number; readonly p99Ms: number };
    readonly kafkaToSocket: { readonly p50Ms: number; readonly p99Ms: number };
  };
}
