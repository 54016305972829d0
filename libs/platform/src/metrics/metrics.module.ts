import { Public } from '@tracker/http';
import {
  Controller,
  Get,
  Global,
  Header,
  Inject,
  Injectable,
  MiddlewareConsumer,
  Module,
  NestMiddleware,
  NestModule,
} from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Injection token of the application's own prom-client registry (one per app, so tests can
 * run several apps in one process). */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

@Public()
@Controller('metrics')
class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

const HTTP_DURATION = Symbol('HTTP_DURATION');

@Injectable()
class HttpMetricsMiddleware implements NestMiddleware {
  constructor(@Inject(HTTP_DURATION) private readonly duration: Histogram) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const end = this.duration.startTimer();
    response.on('finish', () => {
      const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
      end({ method: request.method, route, status: String(response.statusCode) });
    });
    next();
  }
}

/** Prometheus `/metrics` (prom-client): process metrics, HTTP latency, and what libs register. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: METRICS_REGISTRY,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const registry = new Registry();
        registry.setDefaultLabels({ service: config.service });
        collectDefaultMetrics({ register: registry });
        return registry;
      },
    },
    {
      provide: HTTP_DURATION,
      inject: [METRICS_REGISTRY],
      useFactory: (registry: Registry) =>
        new Histogram({
          name: 'tracker_http_request_duration_seconds',
          help: 'HTTP request latency by method, route and status',
          labelNames: ['method', 'route', 'status'],
          buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
          registers: [registry],
        }),
    },
  ],
  exports: [METRICS_REGISTRY],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
