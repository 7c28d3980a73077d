// Delegation rule 20: the four kgateway.dev/inherited-policy-priority modes, field by field, on
// the merge function itself (the case file rule-20-merge-modes.yaml shows them end to end).
import { describe, expect, it } from 'vitest';
import type { RulePolicy } from '../../src/compile/actions.js';
import { mergePolicy, type PolicyMerge } from '../../src/compile/inherit.js';

const mirror = (name: string) => ({
  backend: { group: '', kind: 'Service', namespace: 'ns', name, port: 8080 },
  percent: 100,
});

const parent: RulePolicy = {
  requestHeaders: {
    set: [{ name: 'x-shared', value: 'parent' }],
    add: [{ name: 'x-parent', value: 'p' }],
    remove: [],
  },
  rewrite: { hostname: 'parent.example' },
  mirrors: [mirror('parent-mirror')],
  timeouts: { requestMs: 1000 },
  retry: { codes: [503], attempts: 1, backoffMs: 10 },
};
const child: RulePolicy = {
  requestHeaders: { set: [{ name: 'X-Shared', value: 'child' }], add: [], remove: ['x-child'] },
  rewrite: { path: { type: 'ReplaceFullPath', value: '/child' } },
  mirrors: [mirror('child-mirror')],
  timeouts: { backendRequestMs: 500 },
};

const merge = (mode: PolicyMerge) => mergePolicy(parent, child, mode);

describe('rule 20: inherited-policy-priority modes', () => {
  it('ShallowMergePreferChild: whole filters from the child where it has them', () => {
    const merged = merge('ShallowMergePreferChild');
    expect(merged.requestHeaders).toEqual(child.requestHeaders);
    expect(merged.rewrite).toEqual(child.rewrite);
    expect(merged.mirrors).toEqual(child.mirrors);
    expect(merged.retry).toEqual(parent.retry);
    expect(merged.timeouts).toEqual({ requestMs: 1000, backendRequestMs: 500 });
  });

  it('ShallowMergePreferParent: whole filters from the parent where it has them', () => {
    const merged = merge('ShallowMergePreferParent');
    expect(merged.requestHeaders).toEqual(parent.requestHeaders);
    expect(merged.rewrite).toEqual(parent.rewrite);
    expect(merged.mirrors).toEqual(parent.mirrors);
  });

  it('DeepMergePreferChild: header entries by name, the child winning per name', () => {
    const merged = merge('DeepMergePreferChild');
    expect(merged.requestHeaders).toEqual({
      set: [{ name: 'X-Shared', value: 'child' }],
      add: [{ name: 'x-parent', value: 'p' }],
      remove: ['x-child'],
    });
    expect(merged.rewrite).toEqual({ hostname: 'parent.example', path: child.rewrite!.path });
    expect(merged.mirrors?.map((m) => m.backend.name)).toEqual(['child-mirror', 'parent-mirror']);
  });

  it('DeepMergePreferParent: header entries by name, the parent winning per name (not the child)', () => {
    const merged = merge('DeepMergePreferParent');
    expect(merged.requestHeaders).toEqual({
      set: [{ name: 'x-shared', value: 'parent' }],
      add: [{ name: 'x-parent', value: 'p' }],
      remove: ['x-child'],
    });
    expect(merged.mirrors?.map((m) => m.backend.name)).toEqual(['parent-mirror', 'child-mirror']);
  });

  it('a child without policy gets the parent policy in every mode', () => {
    for (const mode of [
      'ShallowMergePreferChild',
      'ShallowMergePreferParent',
      'DeepMergePreferChild',
      'DeepMergePreferParent',
    ] as const) {
      const merged = mergePolicy(parent, {}, mode);
      expect(merged.requestHeaders).toEqual(parent.requestHeaders);
      expect(merged.timeouts).toEqual(parent.timeouts);
    }
  });
});
