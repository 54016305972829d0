import { Module } from '@nestjs/common';
import { MergedOpenApiController } from './merged-openapi';
import { GATEWAY_OPENAPI } from './openapi-document';

/** The merged OpenAPI document; the forwarding itself is Express middleware (`forwardWrites`). */
@Module({
  controllers: [MergedOpenApiController],
  providers: [{ provide: GATEWAY_OPENAPI, useValue: {} }],
  exports: [GATEWAY_OPENAPI],
})
export class ForwardModule {}
