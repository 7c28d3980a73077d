// Header hygiene as properties over generated headers and modifiers: whatever a route's modifiers
// say (decision 19) and whatever a client sends (decision 16), framing, hop-by-hop and gateway
// headers come out as the gateway wrote them, and no value gains a CR, LF or NUL.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HeaderModifier } from '@switchyard/core';
import { propertyParameters } from '@switchyard/test-kit';
import { forwardingPolicy } from '../src/forwarding.js';
import { applyModifiers, isProtectedHeaderName, upstreamHeaders } from '../src/headers.js';

const PROTECTED = [
  'Content-Length',
  'content-length',
  'Transfer-Encoding',
  'Connection',
  'Keep-Alive',
  'TE',
  'Trailer',
  'Upgrade',
  'Proxy-Authorization',
  'proxy-connection',
  'X-Switchyard-Error',
  'x-switchyard-route',
];
const ORDINARY = ['x-a', 'X-B', 'accept', 'cache-control', 'set-cookie'];
const FORWARDING = [
  'X-Forwarded-For',
  'x-forwarded-proto',
  'X-Forwarded-Host',
  'X-Forwarded-Port',
  'Forwarded',
  'Via',
];

const name = fc.oneof(
  fc.constantFrom(...PROTECTED, ...ORDINARY),
  fc.string({ minLength: 0, maxLength: 8 }),
);
const cleanValue = fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,10}$/);
const dirtyValue = fc.oneof(
  cleanValue,
  fc
    .tuple(cleanValue, fc.constantFrom('\r', '\n', '\0', '\r\n'), cleanValue)
    .map((p) => p.join('')),
);
const modifier: fc.Arbitrary<HeaderModifier> = fc.record({
  set: fc.array(fc.record({ name, value: dirtyValue }), { maxLength: 4 }),
  add: fc.array(fc.record({ name, value: dirtyValue }), { maxLength: 4 }),
  remove: fc.array(name, { maxLength: 4 }),
});
const flat = fc
  .array(fc.tuple(fc.constantFrom(...PROTECTED, ...ORDINARY), cleanValue), { maxLength: 8 })
  .map((pairs) => pairs.flat());

function protectedPairs(list: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < list.length; i += 2) {
    if (isProtectedHeaderName(list[i]!)) out.push(`${list[i]!.toLowerCase()}: ${list[i + 1]}`);
  }
  return out.sort();
}

describe('header hygiene properties', () => {
  it('decision 19: no modifier changes a protected header or writes CR/LF/NUL', () => {
    fc.assert(
      fc.property(flat, fc.array(modifier, { maxLength: 3 }), (headers, modifiers) => {
        const out = applyModifiers([...headers], modifiers);
        expect(protectedPairs(out)).toEqual(protectedPairs(headers));
        for (let i = 0; i < out.length; i += 2) {
          expect(out[i]).toMatch(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/);
          expect(out[i + 1]).not.toMatch(/[\r\n\0]/);
        }
      }),
      propertyParameters('decision 19 modifiers'),
    );
  });

  it("decision 16: at the edge each forwarding header is the gateway's, once; X-Forwarded-For ends with the peer", () => {
    const clientHeaders = fc
      .array(fc.tuple(fc.constantFrom(...FORWARDING, ...PROTECTED, ...ORDINARY), cleanValue), {
        maxLength: 10,
      })
      .map((pairs) => pairs.flat());
    fc.assert(
      fc.property(
        clientHeaders,
        fc.ipV4(),
        fc.constantFrom('http', 'https'),
        (raw, peer, proto) => {
          const out = upstreamHeaders(
            raw,
            undefined,
            {
              host: 'api.example.com',
              originalHost: 'api.example.com',
              remoteAddress: peer,
              proto: proto as 'http' | 'https',
              port: 8080,
              forwarding: forwardingPolicy(undefined),
              via: 'sy-prop',
              requestIdHeader: undefined,
            },
            { requestId: undefined },
            () => 'id',
          );
          const values = (wanted: string): string[] => {
            const found: string[] = [];
            for (let i = 0; i < out.length; i += 2)
              if (out[i]!.toLowerCase() === wanted) found.push(out[i + 1]!);
            return found;
          };
          expect(values('x-forwarded-proto')).toEqual([proto]);
          expect(values('x-forwarded-host')).toEqual(['api.example.com']);
          expect(values('x-forwarded-port')).toEqual(['8080']);
          expect(values('forwarded')).toEqual([`for=${peer};host=api.example.com;proto=${proto}`]);
          expect(values('x-forwarded-for')).toHaveLength(1);
          expect(values('x-forwarded-for')[0]!.endsWith(peer)).toBe(true);
          expect(values('via')).toHaveLength(1);
          expect(values('via')[0]!.endsWith('1.1 sy-prop')).toBe(true);
          for (let i = 0; i < out.length; i += 2) {
            const lower = out[i]!.toLowerCase();
            expect(isProtectedHeaderName(lower) && lower !== 'content-length').toBe(false);
          }
        },
      ),
      propertyParameters('decision 16 forwarding'),
    );
  });
});
