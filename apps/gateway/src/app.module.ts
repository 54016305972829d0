import { DynamicModule, Module } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppConfig, ConfigModule } from '@tracker/config';
import { HttpEdgeModule, protectDocs } from '@tracker/http';
import { HealthModule, LoggingModule, MetricsModule, PrepareApp } from '@tracker/platform';
import { RedisModule, RedisReadiness } from '@tracker/redis';
import { serveDashboard } from './dashboard/serve-dashboard';
import { DocsModule } from './docs/docs.module';
import { ExportsModule } from './exports/exports.module';
import { ForwardModule } from './forward/forward.module';
import { HistoryModule } from './history/history.module';
import { forwardWrites } from './forward/forwarding';
import { forwardTimeTravel } from './forward/time-travel-routes';
import { GATEWAY_OPENAPI, OpenApiDocument } from './forward/openapi-document';
import { LiveModule } from './live/live.module';
import { PublicModule } from './public/public.module';
import { ReadModelModule } from './read-model/read-model.module';
import { ReadsModule } from './reads/reads.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        MetricsModule,
        RedisModule.forRoot(),
        HttpEdgeModule.forRoot(),
        HealthModule.forRoot([RedisReadiness]),
        ForwardModule,
        ReadModelModule,
        LiveModule,
        ReadsModule,
        HistoryModule,
        ExportsModule,
        PublicModule,
        DocsModule,
      ],
    };
  }
}

/**
 * Before Nest's routing: forward the write routes to their services and the reads at a time
 * (`asOf`, `knownAt`) to time travel, serve the dashboard at `/`; then `/docs`, whose UI loads
 * the merged document of the gateway's reads and every service's writes.
 */
export const prepareGateway: PrepareApp = (app, config) => {
  forwardWrites(app, config);
  forwardTimeTravel(app, config);
  serveDashboard(app, config);
  const options = new DocumentBuilder()
    .setTitle('gateway')
    .setDescription('Reads of the live picture and the forwarded writes (DESIGN.md §4).')
    .setVersion('1')
    .addBearerAuth()
    .build();
  const own = SwaggerModule.createDocument(app, options) as unknown as OpenApiDocument;
  app.get<{ document?: OpenApiDocument }>(GATEWAY_OPENAPI).document = own;
  protectDocs(app);
  SwaggerModule.setup('docs', app, own as never, {
    swaggerOptions: { url: '/docs/openapi.json' },
    jsonDocumentUrl: 'docs/gateway.json',
  });
};
