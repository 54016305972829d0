import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { StockpileController } from './stockpile.controller';
import { StockpileEntity } from './stockpile.entity';
import { StockpileRepository } from './stockpile.repository';
import { StockpileService } from './stockpile.service';

@Module({
  imports: [TypeOrmModule.forFeature([StockpileEntity])],
  controllers: [StockpileController],
  providers: [StockpileService, StockpileRepository],
})
export class StockpilesModule {}
