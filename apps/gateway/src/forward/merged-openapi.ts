import { Controller, Get, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import { Public } from '@tracker/http';
import { GATEWAY_OPENAPI, OpenApiDocument } from './openapi-document';
import { WRITE_SERVICES } from './write-routes';

/**
 * `/docs/openapi.json`: the gateway's own routes plus every write service's routes, fetched
 * from each service's `/docs/json` when asked, so the one base URL has one document. A service
 * that does not answer is listed in `x-unavailable` and its routes are left out.
 */
@ApiExcludeController()
@Controller('docs')
export class MergedOpenApiController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(GATEWAY_OPENAPI) private readonly gateway: { document?: OpenApiDocument },
  ) {}

  @Get('openapi.json')
  @Public()
  async merged(): Promise<OpenApiDocument> {
    const own = this.gateway.document ?? {
      openapi: '3.0.0',
      info: { title: 'gateway', version: '1' },
      paths: {},
    };
    const merged: OpenApiDocument = {
      ...own,
      info: {
        ...own.info,
        title: 'Pledge & delivery tracker API',
        description:
          'One base URL: reads are served by the gateway, writes are forwarded to the owning service.',
      },
      paths: { ...own.paths },
      components: { ...own.components, schemas: { ...own.components?.schemas } },
    };
    const unavailable: string[] = [];
    await Promise.all(
      WRITE_SERVICES.map(async (service) => {
        try {
          const response = await fetch(`${this.config.upstreams[service]}/docs/json`, {
            signal: AbortSignal.timeout(2000),
          });
          if (!response.ok) throw new Error(`status ${response.status}`);
          const document = (await response.json()) as OpenApiDocument;
          Object.assign(merged.paths, document.paths);
          Object.assign(merged.components!.schemas!, document.components?.schemas);
        } catch {
          unavailable.push(service);
        }
      }),
    );
    return unavailable.length > 0 ? { ...merged, 'x-unavailable': unavailable.sort() } : merged;
  }
}
