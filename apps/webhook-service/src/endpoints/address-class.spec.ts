import { nonPublicReason } from './address-class';

describe('which addresses a webhook may reach', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0.0.0.0', 'this network'],
    ['::', 'unspecified'],
    ['10.1.2.3', 'private (RFC 1918)'],
    ['172.16.0.1', 'private (RFC 1918)'],
    ['172.31.255.255', 'private (RFC 1918)'],
    ['192.168.1.10', 'private (RFC 1918)'],
    ['100.64.0.1', 'shared address space (carrier-grade NAT)'],
    ['100.127.255.254', 'shared address space (carrier-grade NAT)'],
    ['169.254.169.254', 'link-local (and cloud metadata)'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fd12:3456:789a::1', 'unique local (RFC 4193)'],
    ['fc00::1', 'unique local (RFC 4193)'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'link-local (and cloud metadata)'],
    ['64:ff9b::10.0.0.1', 'private (RFC 1918)'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved and broadcast'],
    ['localhost', 'not an IP address'],
  ])('refuses %s: %s', (address, reason) => {
    expect(nonPublicReason(address)).toBe(reason);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
  ])('allows the public address %s', (address) => {
    expect(nonPublicReason(address)).toBeUndefined();
  });
});
