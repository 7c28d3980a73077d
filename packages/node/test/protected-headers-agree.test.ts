// Decision 19 holds twice: the compiler makes a header modifier touching a protected header
// invalid, and the proxy's run-time guard drops such an entry from whatever table it is given.
// Both read the core's one list; this pins that they agree for every name on it (and for names
// just beside it), so a name added to one side only fails here.
import { PROTECTED_HEADER_NAMES, PROTECTED_HEADER_PREFIXES, resolve } from '@switchyard/core';
import type { HeaderModifier } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { guardModifier, isHopByHop } from '../src/headers.js';
import { objectsFor, tableFor } from './support/fixtures.js';

const protectedNames = [
  ...PROTECTED_HEADER_NAMES,
  ...PROTECTED_HEADER_NAMES.map((name) => name.toUpperCase()),
  ...PROTECTED_HEADER_PREFIXES.flatMap((prefix) => [`${prefix}x`, `${prefix.toUpperCase()}Ab`]),
];
// Near misses: each must stay writable on both sides.
const freeNames = [
  'x-request-id',
  'content-type',
  'proxyish',
  'x-switchyard',
  'connections',
  'http2-setting',
  'tee',
];

type Verb = 'set' | 'add' | 'remove';
const verbs: readonly Verb[] = ['set', 'add', 'remove'];

function modifierFor(verb: Verb, name: string): HeaderModifier {
  const entry = [{ name, value: 'v' }];
  return {
    set: verb === 'set' ? entry : [],
    add: verb === 'add' ? entry : [],
    remove: verb === 'remove' ? [name] : [],
  };
}

/** Whether the compiler keeps a rule whose request modifier does `verb` on `name`. */
function compilerAccepts(verb: Verb, name: string): boolean {
  const modifier = verb === 'remove' ? { remove: [name] } : { [verb]: [{ name, value: 'v' }] };
  const table = tableFor(
    objectsFor([
      {
        path: '/m',
        service: 'svc',
        extra: { filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: modifier }] },
      },
    ]),
  );
  const decision = resolve(table, { method: 'GET', path: '/m', host: 'example.com', headers: {} });
  return decision.kind === 'forward';
}

/** Whether the proxy's guard lets the same entry through. */
function guardAccepts(verb: Verb, name: string): boolean {
  const guarded = guardModifier(modifierFor(verb, name));
  return guarded.set.length + guarded.add.length + guarded.remove.length === 1;
}

describe('decision 19: the compiler and the proxy guard read one list', () => {
  for (const name of protectedNames) {
    for (const verb of verbs) {
      it(`decision 19: ${verb} ${name} is refused by the compiler and dropped by the guard`, () => {
        expect(compilerAccepts(verb, name)).toBe(false);
        expect(guardAccepts(verb, name)).toBe(false);
      });
    }
  }
  for (const name of freeNames) {
    for (const verb of verbs) {
      it(`decision 19: ${verb} ${name} is kept by both`, () => {
        expect(compilerAccepts(verb, name)).toBe(true);
        expect(guardAccepts(verb, name)).toBe(true);
      });
    }
  }
  it('decision 19: every protected name but Content-Length and x-switchyard-* is hop-by-hop', () => {
    for (const name of protectedNames) {
      const lower = name.toLowerCase();
      const expected = lower !== 'content-length' && !lower.startsWith('x-switchyard-');
      expect(isHopByHop(lower), lower).toBe(expected);
    }
    expect(isHopByHop('http2-settings')).toBe(true);
  });
});
