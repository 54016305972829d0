import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import { Client } from 'pg';
import { MixedList } from 'typeorm';

/** What a write service brings to its database: its committed TypeORM migrations. */
export interface DatabaseOptions {
  // TypeORM's own type for a list of migration classes.
  readonly migrations: MixedList<string | (new () => unknown)>;
}

/** Creates the service's schema when it is missing, so its migrations have a home. */
async function ensureSchema(url: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create schema if not exists "${schema}"`);
  } finally {
    await client.end();
  }
}

/**
 * The write service's own Postgres connection (TypeORM), from `DATABASE_URL`. Its tables live in
 * its own schema (`DATABASE_SCHEMA`, default the service name): the connection's search_path is
 * that schema, so migrations and queries name tables unqualified, and a test points a service at
 * a schema of its own. Migrations run at start; the schema is never synchronised from entities.
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: async (config: AppConfig) => {
            await ensureSchema(config.databaseUrl, config.databaseSchema);
            return {
              type: 'postgres' as const,
              url: config.databaseUrl,
              schema: config.databaseSchema,
              applicationName: config.service,
              extra: { options: `-c search_path=${config.databaseSchema}`, max: 20 },
              autoLoadEntities: true,
              synchronize: false,
              migrations: options.migrations,
              migrationsRun: true,
              migrationsTableName: 'migrations',
              retryAttempts: 3,
              retryDelay: 500,
            };
          },
        }),
      ],
    };
  }
}
