/** Weighted backend choice (B-1): each backend's share is its weight over the rule's total. */

/**
 * Picks a backend in proportion to its weight. `random` is in [0, 1), e.g. `Math.random()`; a
 * fixed value makes the choice reproducible. Entries of weight 0 are never chosen unless every
 * weight is 0, in which case the first is returned. Throws on an empty list (decisions never
 * carry one).
 *
 * @example
 * ```ts
 * pickBackend([{ name: 'a', weight: 70 }, { name: 'b', weight: 30 }], 0.75); // { name: 'b', ... }
 * ```
 */
export function pickBackend<T extends { readonly weight: number }>(
  backends: readonly T[],
  random: number,
): T {
  if (backends.length === 0) throw new RangeError('pickBackend: no backends');
  let total = 0;
  for (const backend of backends) total += Math.max(0, backend.weight);
  if (total <= 0) return backends[0]!;
  let target = random * total;
  for (const backend of backends) {
    const weight = Math.max(0, backend.weight);
    if (target < weight) return backend;
    target -= weight;
  }
  // Only reachable with random >= 1 or rounding at the very top: the last weighted entry.
  for (let i = backends.length - 1; i >= 0; i--) if (backends[i]!.weight > 0) return backends[i]!;
  return backends[0]!;
}
