import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import { RuleViolation } from '@tracker/errors';
import { lookup, LookupAddress } from 'node:dns';
import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import { nonPublicReason } from './address-class';

/** A webhook endpoint the guard refuses: its reason names the rule (and the address). */
export class EndpointRefused extends RuleViolation {
  constructor(reason: string) {
    super('endpoint-refused', `url: ${reason}`, 'url');
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * Keeps webhooks off loopback, link-local, private and other non-public addresses, and off
 * plain http, unless `WEBHOOK_ALLOW_PRIVATE_NETWORKS=true` (server-side request forgery). A URL
 * is checked when it is registered, and every connection checks the addresses its host name
 * resolves to at that moment ({@link lookup}), so a name that resolves to a public address at
 * registration and to a private one later (DNS rebinding) is refused too.
 */
@Injectable()
export class EndpointGuard {
  readonly allowPrivate: boolean;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.allowPrivate = config.webhooks.allowPrivateNetworks;
  }

  /** Refuses a URL the tracker must not call: throws {@link EndpointRefused}. */
  async checkUrl(text: string): Promise<URL> {
    const url = this.checkShape(text);
    if (this.allowPrivate) return url;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses =
      isIP(host) !== 0
        ? [host]
        : await dns.lookup(host, { all: true, verbatim: true }).then(
            (found) => found.map((entry) => entry.address),
            () => {
              throw new EndpointRefused(`the host ${host} does not resolve`);
            },
          );
    for (const address of addresses) this.checkAddress(address, host);
    return url;
  }

  /** Refuses what no URL may be, wherever it points: not https (unless private networks are allowed), credentials in it. */
  checkShape(text: string): URL {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new EndpointRefused('must be an absolute URL');
    }
    const schemes = this.allowPrivate ? ['https:', 'http:'] : ['https:'];
    if (!schemes.includes(url.protocol)) {
      throw new EndpointRefused(
        this.allowPrivate ? 'must be an http or https URL' : 'must be an https URL',
      );
    }
    if (url.username || url.password) throw new EndpointRefused('must not carry credentials');
    if (!this.allowPrivate && isIP(url.hostname.replace(/^\[|\]$/g, '')) !== 0) {
      this.checkAddress(url.hostname, url.hostname);
    }
    return url;
  }

  private checkAddress(address: string, host: string): void {
    const reason = nonPublicReason(address);
    if (reason !== undefined) {
      throw new EndpointRefused(
        `${host} is ${address === host ? '' : `${address}, `}${reason}: webhooks go to public addresses only (WEBHOOK_ALLOW_PRIVATE_NETWORKS)`,
      );
    }
  }

  /**
   * A `lookup` for the sockets that deliver webhooks: resolves as `dns.lookup` does and fails
   * the connection when an address is not public (unless private networks are allowed).
   */
  readonly lookup = (
    hostname: string,
    options: { all?: boolean; family?: number | string },
    callback: LookupCallback,
  ): void => {
    lookup(hostname, { ...options, all: true } as { all: true }, (error, found) => {
      if (error) return callback(error, options.all ? [] : '');
      const refused = this.allowPrivate
        ? undefined
        : found.find((entry) => nonPublicReason(entry.address) !== undefined);
      if (refused) {
        const reason = nonPublicReason(refused.address)!;
        const failure: NodeJS.ErrnoException = new Error(
          `${hostname} resolves to ${refused.address}, ${reason}: refused (WEBHOOK_ALLOW_PRIVATE_NETWORKS)`,
        );
        failure.code = 'EWEBHOOKREFUSED';
        return callback(failure, options.all ? [] : '');
      }
      if (options.all) return callback(null, found);
      const first = found[0];
      callback(null, first.address, first.family);
    });
  };
}
