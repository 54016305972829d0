import type { IncomingMessage } from 'node:http';
import { clientAddress } from './live.gateway';

function handshake(peer: string, forwarded?: string): IncomingMessage {
  return {
    socket: { remoteAddress: peer },
    headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
  } as unknown as IncomingMessage;
}

const loopback = (address: string) => address === '127.0.0.1' || address === '::1';

describe('clientAddress of a /live handshake', () => {
  it('is the peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddress(handshake('203.0.113.5', '198.51.100.1'), () => false)).toBe(
      '203.0.113.5',
    );
  });

  it('walks X-Forwarded-For back while the hops are trusted proxies', () => {
    const request = handshake('127.0.0.1', '198.51.100.1, 203.0.113.9, 127.0.0.1');
    expect(clientAddress(request, loopback)).toBe('203.0.113.9');
  });

  it('does not believe a client that is not a trusted proxy about who it is', () => {
    expect(clientAddress(handshake('203.0.113.5', '127.0.0.1'), loopback)).toBe('203.0.113.5');
  });

  it('is the last address when every hop is trusted', () => {
    expect(clientAddress(handshake('127.0.0.1', '::1'), loopback)).toBe('::1');
    expect(clientAddress(handshake('127.0.0.1'), loopback)).toBe('127.0.0.1');
  });
});
