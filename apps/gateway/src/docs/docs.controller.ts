import { Controller, Get, Header, Inject, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import { jsonSchemaDocuments } from '@tracker/contracts';
import { NotFound } from '@tracker/errors';
import { Public } from '@tracker/http';
import { stringify } from 'yaml';
import { asyncApiDocument } from './asyncapi';

/**
 * The event documentation: `/asyncapi` (JSON, or YAML at `/asyncapi.yaml`) and the JSON Schema
 * of the envelope and of every event's `data` at `/schemas/<name>.json`, the path of each
 * event's `dataschema`. Public, like the documents they describe.
 */
@ApiExcludeController()
@Public()
@Controller()
export class DocsController {
  private readonly asyncApi: Record<string, unknown>;
  private readonly schemas: Map<string, Record<string, unknown>>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.asyncApi = asyncApiDocument({ kafka: config.kafka.brokers[0], gateway: config.publicUrl });
    this.schemas = new Map(jsonSchemaDocuments().map((doc) => [doc.fileName, doc.schema]));
  }

  @Get('asyncapi')
  asyncapi(): Record<string, unknown> {
    return this.asyncApi;
  }

  @Get('asyncapi.yaml')
  @Header('Content-Type', 'application/yaml; charset=utf-8')
  asyncapiYaml(): string {
    return stringify(this.asyncApi);
  }

  @Get('schemas/:file')
  @Header('Content-Type', 'application/schema+json')
  schema(@Param('file') file: string): string {
    const schema = this.schemas.get(file);
    if (schema === undefined) throw new NotFound('schema', file);
    return JSON.stringify(schema);
  }
}
