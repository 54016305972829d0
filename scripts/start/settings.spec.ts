import { LaunchSettingsError, readLaunchSettings } from './settings';

function problems(env: NodeJS.ProcessEnv): string {
  try {
    readLaunchSettings(env);
  } catch (error) {
    if (error instanceof LaunchSettingsError) return error.message;
    throw error;
  }
  throw new Error('expected the settings to be refused');
}

describe(readLaunchSettings.name, () => {
  it('defaults to the services’ own ports, time travel’s 3006, Kafka’s 9092 and free ports for Postgres and Redis', () => {
    const { ports, demo, compiled } = readLaunchSettings({});
    expect(
      Object.values(ports).map(({ variable, port, explicit }) => [variable, port, explicit]),
    ).toEqual([
      ['GATEWAY_PORT', 3000, false],
      ['PLEDGE_PORT', 3001, false],
      ['PRODUCTION_PORT', 3002, false],
      ['SHIPMENT_PORT', 3003, false],
      ['PROJECTION_PORT', 3004, false],
      ['WEBHOOK_PORT', 3005, false],
      ['TIME_TRAVEL_PORT', 3006, false],
      ['KAFKA_PORT', 9092, false],
      ['POSTGRES_PORT', 0, false],
      ['REDIS_PORT', 0, false],
    ]);
    expect(demo).toBe(true);
    expect(compiled).toBe(true);
  });

  it('takes each port from its variable and marks it as asked for', () => {
    const { ports } = readLaunchSettings({
      GATEWAY_PORT: '8080',
      KAFKA_PORT: '0',
      REDIS_PORT: ' 6380 ',
    });
    expect(ports.gateway).toMatchObject({ port: 8080, explicit: true });
    expect(ports.kafka).toMatchObject({ port: 0, explicit: true });
    expect(ports.redis).toMatchObject({ port: 6380, explicit: true });
    expect(ports['pledge-service']).toMatchObject({ port: 3001, explicit: false });
  });

  it('treats an empty variable as unset and TRACKER_DEMO=off as no demo', () => {
    const settings = readLaunchSettings({ GATEWAY_PORT: '', TRACKER_DEMO: 'off' });
    expect(settings.ports.gateway).toMatchObject({ port: 3000, explicit: false });
    expect(settings.demo).toBe(false);
  });

  it('runs the services from source with TRACKER_COMPILED=off', () => {
    expect(readLaunchSettings({ TRACKER_COMPILED: 'off' }).compiled).toBe(false);
  });

  it('names every bad port variable in one line', () => {
    expect(
      problems({ GATEWAY_PORT: 'http', PLEDGE_PORT: '70000', REDIS_PORT: '-1', KAFKA_PORT: '9.5' }),
    ).toBe(
      [
        'GATEWAY_PORT: must be an integer between 0 and 65535',
        'PLEDGE_PORT: must be an integer between 0 and 65535',
        'KAFKA_PORT: must be an integer between 0 and 65535',
        'REDIS_PORT: must be an integer between 0 and 65535',
      ].join('; '),
    );
  });

  it('refuses two parts on one port, but any number on 0', () => {
    expect(problems({ POSTGRES_PORT: '3001' })).toBe(
      'PLEDGE_PORT, POSTGRES_PORT: share port 3001; give each its own',
    );
    expect(() => readLaunchSettings({ GATEWAY_PORT: '0', PLEDGE_PORT: '0' })).not.toThrow();
  });
});
