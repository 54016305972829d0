import { loadConfig } from '@tracker/config';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { WebhookSender } from '../deliveries/webhook-sender';
import { EndpointGuard, EndpointRefused } from './endpoint-guard';

// Name resolution here goes no further than /etc/hosts (localhost): no network needed.
describe(EndpointGuard.name, () => {
  const strict = loadConfig('webhook-service', {});
  const relaxed = loadConfig('webhook-service', { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
  const guard = new EndpointGuard(strict);

  it.each([
    ['http://93.184.216.34/hooks', 'must be an https URL'],
    ['https://127.0.0.1/hooks', 'loopback'],
    ['https://[::1]:8443/hooks', 'loopback'],
    ['https://169.254.169.254/latest/meta-data', 'link-local (and cloud metadata)'],
    ['https://10.0.0.7/hooks', 'private (RFC 1918)'],
    ['https://[fd00::7]/hooks', 'unique local (RFC 4193)'],
    ['https://localhost/hooks', 'loopback'],
    ['https://user:secret@93.184.216.34/hooks', 'must not carry credentials'],
    ['not a url', 'must be an absolute URL'],
  ])('refuses %s at registration: %s', async (url, reason) => {
    const refusal = guard.checkUrl(url);
    await expect(refusal).rejects.toBeInstanceOf(EndpointRefused);
    await expect(refusal).rejects.toThrow(reason);
  });

  it('accepts an https URL on a public address', async () => {
    await expect(guard.checkUrl('https://93.184.216.34/hooks')).resolves.toBeInstanceOf(URL);
  });

  it('accepts loopback and plain http with WEBHOOK_ALLOW_PRIVATE_NETWORKS=true', async () => {
    const open = new EndpointGuard(relaxed);
    await expect(open.checkUrl('http://127.0.0.1:8080/hooks')).resolves.toBeInstanceOf(URL);
    await expect(open.checkUrl('http://localhost:8080/hooks')).resolves.toBeInstanceOf(URL);
  });

  describe('at connect time', () => {
    let server: Server;
    let hits = 0;

    beforeAll(async () => {
      server = createServer((_, response) => {
        hits += 1;
        response.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });

    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('refuses a name that resolves to a private address when it connects (DNS rebinding)', async () => {
      // Registered while it resolved elsewhere; by now `localhost` names loopback.
      const sender = new WebhookSender(guard, strict);
      const port = (server.address() as AddressInfo).port;
      try {
        const attempt = await sender.send({
          url: `https://localhost:${port}/hooks`,
          secret: `whsec_${Buffer.alloc(32).toString('base64')}`,
          eventId: 'e-1',
          body: '{}',
        });
        expect(attempt.delivered).toBe(false);
        expect(attempt.delivered ? '' : attempt.error).toMatch(
          /localhost resolves to .+, loopback: refused/,
        );
        expect(hits).toBe(0);
      } finally {
        await sender.onApplicationShutdown();
      }
    });

    it('connects to it with WEBHOOK_ALLOW_PRIVATE_NETWORKS=true', async () => {
      const sender = new WebhookSender(new EndpointGuard(relaxed), relaxed);
      const port = (server.address() as AddressInfo).port;
      try {
        const attempt = await sender.send({
          url: `http://localhost:${port}/hooks`,
          secret: `whsec_${Buffer.alloc(32).toString('base64')}`,
          eventId: 'e-2',
          body: '{}',
        });
        expect(attempt).toEqual({ delivered: true, status: 200 });
        expect(hits).toBe(1);
      } finally {
        await sender.onApplicationShutdown();
      }
    });
  });
});
