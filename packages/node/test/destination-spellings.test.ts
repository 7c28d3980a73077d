// Decisions 21 and 22 against spelling tricks: an address refused in one notation is refused in
// every notation (IPv4-mapped IPv6 dotted or hex, full or compressed, brackets, upper case).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyParameters } from '@switchyard/test-kit';
import { OwnAddresses } from '../src/destinations/own-addresses.js';
import { DestinationRules } from '../src/destinations/policy.js';

type Quad = readonly [number, number, number, number];

const hex = (high: number, low: number): string => ((high << 8) | low).toString(16);

/** Every way an IPv4 address can be written where an IP is expected. */
function spellings([a, b, c, d]: Quad): string[] {
  const dotted = `${a}.${b}.${c}.${d}`;
  const mappedHex = `::ffff:${hex(a, b)}:${hex(c, d)}`;
  return [
    dotted,
    `::ffff:${dotted}`,
    `::FFFF:${dotted}`,
    mappedHex,
    mappedHex.toUpperCase(),
    `0:0:0:0:0:ffff:${hex(a, b)}:${hex(c, d)}`,
    `0000:0000:0000:0000:0000:ffff:${dotted}`,
    `[${mappedHex}]`,
  ];
}

const byte = fc.integer({ min: 0, max: 255 });
const port = fc.integer({ min: 1, max: 65_535 });

describe('destination checks see through spellings', () => {
  it('decision 22: every spelling of a 169.254.0.0/16 address is denied by default', () => {
    const rules = new DestinationRules();
    fc.assert(
      fc.property(byte, byte, (c, d) => {
        for (const spelling of spellings([169, 254, c, d])) {
          expect(rules.permits(spelling), spelling).toBe(false);
        }
      }),
      propertyParameters('decision 22 spellings'),
    );
  });

  it('decision 21: every spelling of a loopback address at the port of a 0.0.0.0 listener is the gateway; another port is not', () => {
    fc.assert(
      fc.property(byte, byte, byte, port, port, (b, c, d, own, other) => {
        fc.pre(own !== other);
        const addresses = new OwnAddresses();
        addresses.add({ address: '0.0.0.0', port: own });
        for (const spelling of spellings([127, b, c, d])) {
          expect(addresses.has(spelling, own), spelling).toBe(true);
          expect(addresses.has(spelling, other), spelling).toBe(false);
        }
        expect(addresses.has('::', own)).toBe(true);
        expect(addresses.has('::1', own)).toBe(true);
      }),
      propertyParameters('decision 21 unspecified'),
    );
  });

  it('decision 21: a listener on one address is that address in any spelling, and no other', () => {
    fc.assert(
      fc.property(byte, byte, byte, byte, port, (a, b, c, d, own) => {
        fc.pre(a !== 127 && a !== 0);
        const addresses = new OwnAddresses();
        addresses.add({ address: `::ffff:${a}.${b}.${c}.${d}`, port: own });
        for (const spelling of spellings([a, b, c, d])) {
          expect(addresses.has(spelling, own), spelling).toBe(true);
        }
        const neighbour: Quad = [a, b, c, (d + 1) % 256];
        expect(addresses.has(spellings(neighbour)[0]!, own)).toBe(false);
        addresses.delete({ address: `${a}.${b}.${c}.${d}`, port: own });
        expect(addresses.has(`${a}.${b}.${c}.${d}`, own)).toBe(false);
      }),
      propertyParameters('decision 21 specific'),
    );
  });
});
