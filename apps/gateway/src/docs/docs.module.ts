import { Module } from '@nestjs/common';
import { DocsController } from './docs.controller';

/** `/asyncapi` and `/schemas/<name>.json`. */
@Module({ controllers: [DocsController] })
export class DocsModule {}
