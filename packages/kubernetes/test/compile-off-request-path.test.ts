/**
 * Delegation rule 28 in the Kubernetes source: compiling is the `compiler`'s business and may
 * take its time (a worker thread). The table in service keeps answering until the new one
 * arrives; changes during a compile make exactly one more; a failed compile keeps the last good
 * table; a result that arrives after `close()` is dropped; and an input that did not change is
 * not compiled again, whatever the watches bring.
 */
import {
  compile,
  resolve,
  type CompileOptions,
  type CompileResult,
  type RouteTable,
} from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import type { Compiler, KubernetesSource } from '../src/index.js';
import type { FakeApiServer } from '../src/testing/index.js';
import {
  basicObjects,
  caughtUp,
  closeAfterEach,
  cluster,
  endpointSlice,
  GATEWAY,
  gateway,
  service,
  simpleRoute,
  startSource,
  waitFor,
} from './fixtures.js';

interface Call {
  readonly input: readonly unknown[];
  readonly options: CompileOptions;
  /** Lets the compile finish with the core's result, or fail with `error`. */
  release(error?: Error): void;
  readonly done: Promise<unknown>;
}

/** The core's `compile` behind a gate the test opens: `hold()` keeps each later call waiting. */
function gatedCompiler() {
  const calls: Call[] = [];
  let holding = false;
  const compiler: Compiler = (input, options) => {
    let release!: (error?: Error) => void;
    const done = new Promise<CompileResult>((resolveResult, reject) => {
      release = (error) => (error ? reject(error) : resolveResult(compile(input, options)));
    });
    calls.push({ input, options, release, done: done.catch(() => {}) });
    if (!holding) release();
    return done;
  };
  return {
    compiler,
    calls,
    hold: () => (holding = true),
    /** Waits for call number `n` (1-based) to be made. */
    called: (n: number) => waitFor(() => calls.length >= n, 5000, `compile call ${n}`),
  };
}

/** Waits until every watch of the source has seen the server's current revision (no settling). */
async function seen(api: FakeApiServer, source: KubernetesSource): Promise<void> {
  const target = api.revision();
  await waitFor(() => {
    api.bookmark();
    return source.state().resources.every((r) => Number(r.resourceVersion) >= target);
  });
}

const routePaths = (table: RouteTable) =>
  table.listeners.flatMap((l) => l.routes.map((r) => r.match.path?.value));
const answers = (table: RouteTable, path: string) =>
  resolve(table, { method: 'GET', host: 'shop.example', path }).kind;
const routeNames = (input: readonly unknown[]) =>
  input
    .map((o) => o as { kind: string; metadata: { name: string }; spec?: unknown })
    .filter((o) => o.kind === 'HTTPRoute')
    .map((o) => JSON.stringify([o.metadata.name, o.spec]))
    .sort();

describe('rule 28: the Kubernetes source compiles off the request path', () => {
  const open = closeAfterEach();

  async function started(statusWrites = false) {
    const api = (open.api = await cluster(basicObjects()));
    const gate = gatedCompiler();
    const { source, events } = startSource(api, { compiler: gate.compiler, statusWrites });
    open.sources.push(source);
    await source.ready;
    await caughtUp(api, source);
    return { api, source, events, gate };
  }

  it('keeps serving the last table while a slow compile runs, and swaps when it resolves', async () => {
    const { api, source, gate } = await started();
    const before = source.current();
    expect(answers(before, '/shop')).toBe('forward');
    gate.hold();
    api.apply(simpleRoute('shop', 'web', '/store', 'web'));
    await gate.called(2);
    await seen(api, source);

    expect(source.current()).toBe(before);
    expect(answers(source.current(), '/shop')).toBe('forward');
    expect(answers(source.current(), '/store')).not.toBe('forward');
    expect(source.state().ready).toBe(true);

    const next = source.nextTable();
    gate.calls[1]!.release();
    const table = await next;
    expect(source.current()).toBe(table);
    expect(answers(table, '/store')).toBe('forward');
    expect(answers(table, '/shop')).not.toBe('forward');
  });

  it('compiles exactly once more after a compile during which two changes arrived, with both', async () => {
    const { api, source, gate } = await started();
    gate.hold();
    api.apply(simpleRoute('shop', 'web', '/store', 'web'));
    await gate.called(2);
    api.apply(simpleRoute('shop', 'cart', '/cart', 'web'));
    api.apply(simpleRoute('shop', 'pay', '/pay', 'web'));
    await seen(api, source);
    expect(gate.calls).toHaveLength(2);

    gate.calls[1]!.release();
    await gate.called(3);
    gate.calls[2]!.release();
    await source.settled();

    expect(gate.calls).toHaveLength(3);
    expect(routeNames(gate.calls[2]!.input)).toEqual(
      routeNames(api.list('HTTPRoute').map((o) => ({ ...o, kind: 'HTTPRoute' }))),
    );
    expect(routePaths(source.current()).sort()).toEqual(['/cart', '/pay', '/store']);
  });

  it('keeps the last good table when the compiler rejects or throws, and recovers on the next change', async () => {
    const api = (open.api = await cluster(basicObjects()));
    const gate = gatedCompiler();
    let throwNext = false;
    const compiler: Compiler = (input, options) => {
      if (throwNext) {
        throwNext = false;
        throw new Error('compiler crashed');
      }
      return gate.compiler(input, options);
    };
    const { source, events } = startSource(api, { compiler, statusWrites: false });
    open.sources.push(source);
    await source.ready;
    await caughtUp(api, source);
    const table = source.current();
    const result = source.result();

    gate.hold();
    api.apply(simpleRoute('shop', 'web', '/store', 'web'));
    await gate.called(2);
    gate.calls[1]!.release(new Error('worker exited'));
    await source.settled();
    expect(events.filter((e) => e.type === 'compile-error')).toEqual([
      { type: 'compile-error', error: new Error('worker exited') },
    ]);
    expect(source.current()).toBe(table);
    expect(source.result()).toBe(result);

    throwNext = true;
    api.apply(simpleRoute('shop', 'cart', '/cart', 'web'));
    await caughtUp(api, source);
    expect(events.filter((e) => e.type === 'compile-error')).toHaveLength(2);
    expect(source.current()).toBe(table);

    api.apply(simpleRoute('shop', 'pay', '/pay', 'web'));
    await gate.called(3);
    gate.calls[2]!.release();
    await caughtUp(api, source);
    expect(routePaths(source.current()).sort()).toEqual(['/cart', '/pay', '/store']);
  });

  it('drops a result that arrives after close()', async () => {
    const { api, source, events, gate } = await started();
    const table = source.current();
    const tablesSeen: RouteTable[] = [];
    source.subscribe((t) => tablesSeen.push(t));
    gate.hold();
    api.apply(simpleRoute('shop', 'web', '/store', 'web'));
    await gate.called(2);
    const eventsBefore = events.length;

    await source.close();
    gate.calls[1]!.release();
    await gate.calls[1]!.done;
    await new Promise((r) => setImmediate(r));

    expect(source.current()).toBe(table);
    expect(tablesSeen).toEqual([]);
    expect(events.slice(eventsBefore).filter((e) => e.type === 'table')).toEqual([]);
  });

  it('writes the statuses of the result just swapped in, not of the table before', async () => {
    const { api, source, gate } = await started(true);
    const accepted = () =>
      (
        api.get({ kind: 'HTTPRoute', namespace: 'shop', name: 'web' })?.status as
          { parents?: { conditions: { type: string; status: string }[] }[] } | undefined
      )?.parents?.[0]?.conditions.find((c) => c.type === 'ResolvedRefs')?.status;
    expect(accepted()).toBe('True');
    gate.hold();
    // The Service goes away: once compiled, the route's refs no longer resolve.
    api.delete({ kind: 'Service', namespace: 'shop', name: 'web' });
    await gate.called(2);
    await seen(api, source);
    expect(accepted()).toBe('True');
    gate.calls[1]!.release();
    await caughtUp(api, source);
    expect(accepted()).toBe('False');
  });

  it('does not compile again when nothing routing reads changed, nor look at statuses for Pods', async () => {
    const { api, source, gate } = await started(true);
    // Own addresses make Pod addresses worth a look: EndpointSlice changes schedule a run.
    await source.reconfigure({ ownAddresses: [{ host: '127.0.0.1', port: 18080 }] });
    await caughtUp(api, source);
    expect(gate.calls).toHaveLength(2);

    // Status written by another controller, the same object applied again, another Gateway.
    api.setStatus({ kind: 'HTTPRoute', namespace: 'shop', name: 'web' }, { parents: [] });
    api.apply(service('shop', 'web'));
    api.apply({ ...gateway(), metadata: { namespace: GATEWAY.namespace, name: 'other' } });
    await caughtUp(api, source);
    expect(gate.calls).toHaveLength(2);

    // Pods coming and going at addresses no Backend names: no compile, no status pass.
    const before = api.requests.length;
    api.apply(endpointSlice('shop', 'web-1', 'web', [{ ip: '10.0.0.9' }]));
    await caughtUp(api, source);
    api.apply(endpointSlice('shop', 'web-1', 'web', [{ ip: '10.0.0.10' }]));
    await caughtUp(api, source);
    expect(gate.calls).toHaveLength(2);
    expect(api.requests.slice(before).filter((r) => !r.watch)).toEqual([]);

    api.apply(simpleRoute('shop', 'web', '/store', 'web'));
    await caughtUp(api, source);
    expect(gate.calls).toHaveLength(3);
  });

  it('compiles once with options replaced by reconfigure', async () => {
    const { source, gate } = await started();
    await source.reconfigure({ ownAddresses: [{ host: '127.0.0.1', port: 18080 }] });
    expect(gate.calls).toHaveLength(2);
    expect(gate.calls[1]!.options.ownAddresses).toEqual([{ host: '127.0.0.1', port: 18080 }]);
    expect(gate.calls[1]!.options.gateway).toEqual(GATEWAY);
  });
});
