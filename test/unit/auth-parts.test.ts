import { describe, expect, it } from 'vitest';
import { ReplayGuard } from '../../main/engine/auth/replay-guard.js';
import { signedUrlCandidates } from '../../main/engine/auth/request-url.js';
import { signatureMatches, signOrderRequest } from '../../main/engine/auth/signature.js';
import { clientAddress } from '../../main/engine/auth/client-address.js';
import { allowedHostnames } from '../../main/engine/http/host-guard.js';

describe('signature', () => {
  it('is the hex HMAC-SHA256 of `${timestamp}POST${url}` (a known vector)', () => {
    // python3 -c "import hmac;print(hmac.new(b'secret', b'1649027013445POSThttp://127.0.0.1:8470/v1/order', 'sha256').hexdigest())"
    expect(signOrderRequest('secret', 1649027013445, 'http://127.0.0.1:8470/v1/order')).toBe('49cd4c98c7b1d2a1f41479f2a4bcd2eec63aee7cc6c33f42c5389a60784666bc');
  });

  it('matches any candidate URL, and only with the right secret', () => {
    const sign = signOrderRequest('s3cret', 1, 'http://localhost:8470/v1/order');
    expect(signatureMatches('s3cret', 1, ['http://127.0.0.1:8470/v1/order', 'http://localhost:8470/v1/order'], sign)).toBe(true);
    expect(signatureMatches('s3cret', 1, ['http://127.0.0.1:8470/v1/order'], sign)).toBe(false);
    expect(signatureMatches('other', 1, ['http://localhost:8470/v1/order'], sign)).toBe(false);
    expect(signatureMatches('s3cret', 2, ['http://localhost:8470/v1/order'], sign)).toBe(false);
    expect(signatureMatches('s3cret', 1, ['http://localhost:8470/v1/order'], sign.toUpperCase())).toBe(true);
  });
});

describe('signedUrlCandidates', () => {
  const origin = { host: '127.0.0.1:8470', forwardedProto: 'https', forwardedHost: 'abc.trycloudflare.com' };
  it('uses the Host header alone when proxy headers are not trusted', () => {
    expect(signedUrlCandidates(origin, { publicUrl: null, trustProxyHeaders: false })).toEqual(['http://127.0.0.1:8470/v1/order']);
  });
  it('adds the forwarded URL when trusted, and the public URL', () => {
    expect(signedUrlCandidates(origin, { publicUrl: 'https://x.example/', trustProxyHeaders: true })).toEqual([
      'http://127.0.0.1:8470/v1/order',
      'https://abc.trycloudflare.com/v1/order',
      'https://abc.trycloudflare.com:443/v1/order',
      'https://x.example/v1/order',
    ]);
  });
  it('treats an explicit default port and none alike', () => {
    expect(signedUrlCandidates({ host: 'localhost:80', forwardedProto: undefined, forwardedHost: undefined }, { publicUrl: null, trustProxyHeaders: false })).toEqual([
      'http://localhost:80/v1/order',
      'http://localhost/v1/order',
    ]);
  });
});

describe('ReplayGuard', () => {
  it('accepts a signature once within its lifetime, again after it expired', () => {
    const guard = new ReplayGuard();
    expect(guard.claim('a', 1_000, 0)).toBe(true);
    expect(guard.claim('a', 1_000, 500)).toBe(false);
    expect(guard.claim('b', 1_000, 500)).toBe(true);
    expect(guard.claim('a', 3_000, 2_000)).toBe(true);
  });
  it('forgets expired signatures so memory stays bounded', () => {
    const guard = new ReplayGuard();
    for (let i = 0; i < 1000; i++) guard.claim(`s${i}`, 100, 0);
    guard.claim('late', 10_000, 5_000);
    expect(guard.size).toBe(1);
  });
});

describe('clientAddress', () => {
  // The client wrote the first entry itself; our proxy appended the address it saw connect.
  const headers = { socketAddress: '::ffff:127.0.0.1', forwardedFor: '52.89.214.238, 10.0.0.1' };
  it('ignores forwarded headers unless trusted', () => {
    expect(clientAddress(headers, false)).toBe('127.0.0.1');
    expect(clientAddress(headers, true)).toBe('10.0.0.1');
  });
  it('believes only the entry the trusted proxy added, so a forged first entry proves nothing', () => {
    expect(clientAddress({ ...headers, forwardedFor: '52.89.214.238' }, true)).toBe('52.89.214.238');
  });
});

describe('allowedHostnames', () => {
  it('is loopback, the bind address and the public URL host', () => {
    expect([...allowedHostnames({ host: '127.0.0.1', publicUrl: null })].sort()).toEqual(['127.0.0.1', '[::1]', 'localhost']);
    expect(allowedHostnames({ host: '0.0.0.0', publicUrl: 'https://abc.trycloudflare.com' }).has('abc.trycloudflare.com')).toBe(true);
    expect(allowedHostnames({ host: '0.0.0.0', publicUrl: null }).has('0.0.0.0')).toBe(false);
  });
});
