import { ServiceName } from '@tracker/config';

export type WriteService = Exclude<ServiceName, 'gateway' | 'projection-service'>;

/**
 * Which service owns which path under `/v1` (DESIGN.md §4). `GET /v1/pledges/:id/live` and
 * `GET /v1/pledges/:id/history`, `GET /v1/programmes/:id/live` are the gateway's own reads of the
 * read model and are not
 * forwarded.
 */
const OWNERS: readonly { prefix: string; owner: WriteService }[] = [
  { prefix: '/v1/pledges', owner: 'pledge-service' },
  { prefix: '/v1/programmes', owner: 'pledge-service' },
  { prefix: '/v1/capacity', owner: 'production-service' },
  { prefix: '/v1/lots', owner: 'production-service' },
  { prefix: '/v1/allocations', owner: 'production-service' },
  { prefix: '/v1/stockpiles', owner: 'production-service' },
  { prefix: '/v1/shipments', owner: 'shipment-service' },
];

const GATEWAY_READS =
  /^\/v1\/(?:pledges\/[^/?]+\/(?:live|history)|programmes\/[^/?]+\/live)\/?(\?.*)?$/;

/** The service a request path is forwarded to, or undefined for the gateway's own routes. */
export function ownerOf(path: string): WriteService | undefined {
  if (GATEWAY_READS.test(path)) return undefined;
  return OWNERS.find(
    ({ prefix }) =>
      path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`),
  )?.owner;
}

export const WRITE_SERVICES: readonly WriteService[] = [
  'pledge-service',
  'production-service',
  'shipment-service',
];
