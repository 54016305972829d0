import { Injectable } from '@nestjs/common';
import { TypeOrmHealthIndicator } from '@nestjs/terminus';
import { ReadinessCheck } from './readiness-check';

/** Ready when the service's Postgres connection answers a ping. */
@Injectable()
export class PostgresReadiness implements ReadinessCheck {
  constructor(private readonly typeorm: TypeOrmHealthIndicator) {}

  check() {
    return this.typeorm.pingCheck('postgres', { timeout: 2000 });
  }
}
