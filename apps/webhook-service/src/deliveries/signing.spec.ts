import { createHmac } from 'node:crypto';
import { newSigningSecret, signDelivery, verifyDelivery } from './signing';

describe('Standard Webhooks signing', () => {
  // A vector computed here by the specification's recipe, independently of signDelivery.
  const key = Buffer.from('a fixed key of thirty-two bytes!', 'utf8');
  const secret = `whsec_${key.toString('base64')}`;
  const id = '01933b7e-8c4a-7d2e-9f10-2b5c8d7e6f01';
  const timestamp = 1_765_000_000;
  const body = '{"specversion":"1.0","id":"01933b7e-8c4a-7d2e-9f10-2b5c8d7e6f01","data":{"é":1}}';
  const expected = `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64')}`;

  it('signs HMAC-SHA256 of id.timestamp.body with the base64-decoded secret, prefixed v1,', () => {
    expect(signDelivery(secret, id, timestamp, body)).toBe(expected);
  });

  it('verifies a matching signature among several, and refuses a changed body, id or time', () => {
    const header = `v1,bm90IGl0 ${expected} v2,other`;
    expect(verifyDelivery(secret, id, timestamp, body, header)).toBe(true);
    expect(verifyDelivery(secret, id, timestamp, `${body} `, header)).toBe(false);
    expect(verifyDelivery(secret, `${id}x`, timestamp, body, header)).toBe(false);
    expect(verifyDelivery(secret, id, timestamp + 1, body, header)).toBe(false);
  });

  it('makes secrets of whsec_ and 32 random bytes in base64, never the same twice', () => {
    const first = newSigningSecret();
    expect(first).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(first.slice(6), 'base64')).toHaveLength(32);
    expect(newSigningSecret()).not.toBe(first);
  });
});
