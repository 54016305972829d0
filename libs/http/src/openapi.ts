import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { protectDocs } from './content-security';

/**
 * Serves the application's OpenAPI document at `/docs` (UI) and `/docs/json`, generated from its
 * controllers; request bodies come from the zod contracts through `JsonBody`.
 */
export function serveOpenApi(
  app: INestApplication,
  title: string,
  description: string,
  extend: (document: OpenAPIObject) => OpenAPIObject = (document) => document,
): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(title)
    .setDescription(description)
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = extend(SwaggerModule.createDocument(app, config));
  protectDocs(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
  return document;
}
