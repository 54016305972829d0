import { Module } from '@nestjs/common';
import { EndpointGuard } from './endpoint-guard';

@Module({ providers: [EndpointGuard], exports: [EndpointGuard] })
export class EndpointsModule {}
