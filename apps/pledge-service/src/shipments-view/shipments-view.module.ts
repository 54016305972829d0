import { Module } from '@nestjs/common';
import { ShipmentsViewConsumer } from './shipments-view.consumer';
import { ShipmentsViewRepository } from './shipments-view.repository';
import { ShipmentsViewService } from './shipments-view.service';

@Module({ providers: [ShipmentsViewConsumer, ShipmentsViewRepository, ShipmentsViewService] })
export class ShipmentsViewModule {}
