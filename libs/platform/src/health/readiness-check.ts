import { HealthIndicatorResult } from '@nestjs/terminus';

/** One dependency `/health/ready` asks about (Postgres, Redis, Kafka, …). */
export interface ReadinessCheck {
  check(): Promise<HealthIndicatorResult>;
}

/** Injection token of the readiness checks an application registers. */
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');
