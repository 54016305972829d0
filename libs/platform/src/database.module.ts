import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@tracker/config';

/** The write service's own Postgres connection (TypeORM), from `DATABASE_URL`. */
@Module({})
export class DatabaseModule {
  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            type: 'postgres',
            url: config.databaseUrl,
            applicationName: config.service,
            autoLoadEntities: true,
            retryAttempts: 3,
            retryDelay: 500,
          }),
        }),
      ],
    };
  }
}
