import { maskUrlPasswords } from './mask-secrets';

describe('maskUrlPasswords', () => {
  it.each([
    ['postgres://tracker:s3cret@db:5432/tracker', 'postgres://tracker:****@db:5432/tracker'],
    [
      'postgresql://app:p%40ss@127.0.0.1/x (DATABASE_URL)',
      'postgresql://app:****@127.0.0.1/x (DATABASE_URL)',
    ],
    ['redis://:hunter2@cache:6379 (REDIS_URL)', 'redis://:****@cache:6379 (REDIS_URL)'],
    ['rediss://default:pw@cache:6380/0', 'rediss://default:****@cache:6380/0'],
    [
      'a redis://:one@r:1 and postgres://u:two@p/db',
      'a redis://:****@r:1 and postgres://u:****@p/db',
    ],
  ])('masks %s', (text, masked) => {
    expect(maskUrlPasswords(text)).toBe(masked);
  });

  it.each([
    'postgres://postgres@127.0.0.1:5432/test',
    'redis://127.0.0.1:6379 (private redis-server, append-only file in .data/redis)',
    'postgres://127.0.0.1:5432/db?user=a@b',
    '127.0.0.1:9092 (embedded broker, data in .data/kafka)',
  ])('leaves %s without a password as it is', (text) => {
    expect(maskUrlPasswords(text)).toBe(text);
  });
});
