// Request intake's pure parts: authority syntax (decision 15), Via loop detection (decision 21),
// the plain-HTTP re-reading of a refused upgrade (decision 17), and option errors that name the
// option. The behaviour over sockets is pinned by test/attacks/*.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createProxy, InvalidOptionError } from '../src/index.js';
import { viaNames } from '../src/forwarding.js';
import { intakePolicy, isValidAuthority } from '../src/intake.js';
import { plainRequestHead } from '../src/replay.js';

describe('decision 15: Host authority syntax', () => {
  it.each([
    'api.example.com',
    'api.example.com:8080',
    'API.Example.COM',
    '10.0.0.1:0',
    '[::1]',
    '[2001:db8::1]:65535',
    'a-b_c~d.example',
  ])('accepts %s', (value) => expect(isValidAuthority(value)).toBe(true));

  it.each([
    '',
    'api.example.com:',
    'api.example.com:evil',
    'api.example.com:65536',
    'api.example.com:123456',
    'a b',
    'a/b',
    'a@b',
    '[::1',
    '::1',
    'a:1:2',
    'a\tb',
  ])('refuses %j', (value) => expect(isValidAuthority(value)).toBe(false));
});

describe('decision 21: Via names the gateway', () => {
  it.each([
    ['1.1 sy', true],
    ['1.0 edge, 1.1 SY', true],
    ['HTTP/2 sy (comment)', true],
    ['1.1 edge (sy)', false],
    ['sy', false],
    ['1.1 sy-other', false],
    ['', false],
  ] as const)('%j -> %s', (via, loop) => expect(viaNames(via, 'sy')).toBe(loop));
});

describe('decision 17: a refused upgrade is re-read without its upgrade headers', () => {
  it('drops Upgrade, HTTP2-Settings and their Connection tokens, keeps everything else', () => {
    const req = {
      method: 'POST',
      url: '/echo?a=1',
      httpVersion: '1.1',
      rawHeaders: [
        'Host',
        'api.example.com',
        'Connection',
        'Upgrade, HTTP2-Settings, keep-alive',
        'Upgrade',
        'h2c',
        'HTTP2-Settings',
        'AAMAAABkAAQAAP__',
        'Content-Length',
        '2',
      ],
    } as unknown as IncomingMessage;
    expect(plainRequestHead(req).toString('latin1')).toBe(
      'POST /echo?a=1 HTTP/1.1\r\nHost: api.example.com\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n',
    );
  });
});

describe('intake options', () => {
  it('defaults: websocket only, 8192-byte targets, a per-process pseudonym', () => {
    const policy = intakePolicy({});
    expect([...policy.upgrades]).toEqual(['websocket']);
    expect(policy.maxRequestTargetLength).toBe(8192);
    expect(policy.via).toMatch(/^switchyard-[0-9a-f]{8}$/);
    expect(intakePolicy({}).via).toBe(policy.via);
  });

  it.each([
    [{ via: 'has space' }, /via: "has space" is not a token/],
    [{ upgrades: ['web socket'] }, /upgrades: "web socket" is not a token/],
    [{ maxRequestTargetLength: 0 }, /maxRequestTargetLength must be a whole number >= 1/],
    [{ trustedProxies: { addresses: ['not-an-ip'] } }, /trustedProxies.addresses: "not-an-ip"/],
  ])('createProxy(%j) throws InvalidOptionError naming the option', (options, message) => {
    expect(() => createProxy(options)).toThrow(InvalidOptionError);
    expect(() => createProxy(options)).toThrow(message);
  });
});
