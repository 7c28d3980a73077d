/**
 * Delegation rule 25: flattening is bounded. Every delegating rule walks its children under a
 * budget of routes; a nested delegation draws from its own budget and from every enclosing one,
 * so the work one delegation causes (discarded work of inner delegations included) never exceeds
 * its cap, whatever diamonds or fan-out the graph holds. The compile-wide budget sits at the root.
 */
export const DEFAULT_MAX_ROUTES_PER_DELEGATION = 10_000;
export const DEFAULT_MAX_FLATTENED_ROUTES = 200_000;

export class Budget {
  private spent = 0;

  constructor(
    readonly limit: number,
    private readonly enclosing?: Budget,
  ) {}

  /** Counts one flattened route against this budget and every enclosing one. */
  charge(): void {
    this.spent++;
    this.enclosing?.charge();
  }

  /** True when this budget is spent past its limit. */
  get overdrawn(): boolean {
    return this.spent > this.limit;
  }

  /** True when this budget or an enclosing one is overdrawn: the walk must stop. */
  get exhausted(): boolean {
    return this.overdrawn || (this.enclosing?.exhausted ?? false);
  }

  get count(): number {
    return this.spent;
  }
}
