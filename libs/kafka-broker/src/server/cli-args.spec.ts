import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidBrokerOptionError, resolveBrokerOptions } from './broker-options';
import { CliUsageError, parseCliArguments } from './cli-args';

describe(parseCliArguments.name, () => {
  it('takes --advertised-host as the name clients dial, defaulting to loopback for a wildcard', () => {
    const { options } = parseCliArguments([
      '--data-dir=/tmp/k',
      '--host=0.0.0.0',
      '--advertised-host',
      'localhost',
    ]);
    expect(resolveBrokerOptions(options)).toMatchObject({
      host: '0.0.0.0',
      advertisedHost: 'localhost',
    });
    expect(resolveBrokerOptions({ dataDir: '/tmp/k', host: '0.0.0.0' }).advertisedHost).toBe(
      '127.0.0.1',
    );
    expect(resolveBrokerOptions({ dataDir: '/tmp/k', host: '10.0.0.5' }).advertisedHost).toBe(
      '10.0.0.5',
    );
  });

  it('maps every flag onto broker options', () => {
    expect(
      parseCliArguments([
        '--port',
        '0',
        '--host=0.0.0.0',
        '--data-dir',
        '/tmp/k',
        '--fsync',
        'interval',
        '--partitions',
        '4',
        '--no-auto-create',
        '--rebalance-delay-ms',
        '3000',
        '--log-level',
        'warn',
      ]),
    ).toEqual({
      options: {
        port: 0,
        host: '0.0.0.0',
        dataDir: '/tmp/k',
        fsync: 'interval',
        defaultPartitions: 4,
        autoCreateTopics: false,
        initialRebalanceDelayMs: 3000,
      },
      logLevel: 'warn',
    });
  });

  it('requires --data-dir', () => {
    expect(() => parseCliArguments(['--port', '9092'])).toThrow('--data-dir is required');
  });

  it.each([
    [['--data-dir', 'd', '--port', '70000'], '--port must be an integer from 0 to 65535'],
    [['--data-dir', 'd', '--port', '12ab'], '--port must be an integer'],
    [['--data-dir', 'd', '--partitions', '0'], '--partitions must be an integer from 1'],
    [['--data-dir', 'd', '--fsync', 'sometimes'], '--fsync must be one of always, interval, never'],
    [['--data-dir', 'd', '--log-level', 'loud'], '--log-level must be one of'],
    [['--data-dir', 'd', '--verbose'], 'unknown flag --verbose'],
    [['--data-dir'], '--data-dir needs a value'],
  ])('refuses %j naming the flag and its rule', (argv, message) => {
    expect(() => parseCliArguments(argv)).toThrow(CliUsageError);
    expect(() => parseCliArguments(argv)).toThrow(message);
  });

  describe('--security', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cli-security-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    function file(content: string): string {
      const path = join(dir, 'security.json');
      writeFileSync(path, content);
      return path;
    }

    it('reads BrokerOptions.security from a JSON file', () => {
      const security = {
        sasl: { mechanisms: ['SCRAM-SHA-256'], users: [{ username: 'svc', password: 'pw' }] },
        superUsers: ['User:admin'],
        acls: [
          {
            resourceType: 'TOPIC',
            resourceName: 'pledges.',
            patternType: 'PREFIXED',
            principal: 'User:svc',
            operation: 'WRITE',
          },
        ],
      };
      const { options } = parseCliArguments([
        '--data-dir',
        'd',
        '--security',
        file(JSON.stringify(security)),
      ]);

      expect(options.security).toEqual(security);
      expect(resolveBrokerOptions(options).security?.acls).toHaveLength(1);
    });

    it('refuses a missing file, one that is not JSON and one that is not an object', () => {
      const argv = (path: string) => ['--data-dir', 'd', '--security', path];
      expect(() => parseCliArguments(argv(join(dir, 'none.json')))).toThrow(
        '--security: cannot read',
      );
      expect(() => parseCliArguments(argv(file('{')))).toThrow('is not JSON');
      expect(() => parseCliArguments(argv(file('[]')))).toThrow('must hold a JSON object');
    });

    it('leaves the content to resolveBrokerOptions, which names the bad field', () => {
      const { options } = parseCliArguments([
        '--data-dir',
        'd',
        '--security',
        file(
          JSON.stringify({
            acls: [
              { resourceType: 'TOPIC', resourceName: 't', principal: 'alice', operation: 'READ' },
            ],
          }),
        ),
      ]);
      expect(() => resolveBrokerOptions(options)).toThrow(InvalidBrokerOptionError);
      expect(() => resolveBrokerOptions(options)).toThrow('security.acls[0]');
    });
  });
});
