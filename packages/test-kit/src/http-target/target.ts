/**
 * `httpTarget`: a socket-level `CaseTarget` for any gateway that serves HTTP. The target starts an
 * echo backend for every backend of the case, asks a factory for a gateway serving the case's
 * objects (one per Gateway the requests name), sends real requests to it, and reads what happened
 * from the wire: the echo answer says which backend got the request and what it received; records
 * of the echo backends show mirrored copies; anything else is the gateway's own answer.
 *
 * The Node proxy, the Express middleware and the Fastify plugin each bring their factory; the
 * runner, the backends and the observation logic are shared.
 */
import { randomUUID } from 'node:crypto';
import { compile, resolve } from '@switchyard/core';
import type { CompileOptions, CompileResult, Mirror } from '@switchyard/core';
import type { CaseFile, ObjectRef, UpdateStep } from '../case-types.js';
import { CORE_FEATURES, caseCompileOptions } from '../core-target.js';
import { ECHO_BACKEND_HEADER } from '../echo/server.js';
import type { EchoBackend, EchoRecord } from '../echo/server.js';
import type {
  BackendId,
  CaseSession,
  CaseTarget,
  MirrorObservation,
  NormalizedRequest,
  Observable,
  Observation,
  ObservedStatuses,
} from '../target.js';
import { EchoFleet } from './backends.js';
import type { BackendAddresses } from './backends.js';
import { Clients } from './client.js';
import type { Address, RawAnswer } from './client.js';
import { withTlsMaterial } from './tls-objects.js';

type KubeObject = Readonly<Record<string, unknown>>;

/** What a factory gets to build one gateway. */
export interface HttpGatewayInput {
  readonly caseFile: CaseFile;
  /** The Gateway to serve (the table is compiled for one Gateway). */
  readonly gateway: ObjectRef;
  /** The case's current objects; TLS Secrets with placeholder data carry a generated pair. */
  readonly objects: readonly KubeObject[];
  /** The case's compile options (`routeWeight`, `maxDelegationDepth`, `maxRoutesPerDelegation`), without `gateway`. */
  readonly compileOptions: CompileOptions;
  /**
   * Live map from `namespace/name:port` (Services) and `namespace/name` (static Backends) to the
   * echo backend's origin (`http://127.0.0.1:<port>`); entries are added when updates add backends.
   */
  readonly backends: BackendAddresses;
}

/** A running gateway under test. */
export interface HttpGateway {
  /** Where the Gateway listener with this port can be reached; undefined when it has none. */
  addressFor(listenerPort: number): Address | undefined;
  /** Serve these objects from now on (an `updates` step). */
  apply(objects: readonly KubeObject[]): Promise<void>;
  /** Route and listener statuses, for targets created with `statuses: true`. */
  statuses?(): ObservedStatuses;
  close(): Promise<void>;
}

export type HttpGatewayFactory = (input: HttpGatewayInput) => Promise<HttpGateway>;

export interface HttpTargetOptions {
  /** Shown in every test title. */
  readonly name: string;
  readonly factory: HttpGatewayFactory;
  /** Features and FORMAT keys the gateway implements; default the core's (`CORE_FEATURES`). */
  readonly features?: ReadonlySet<string>;
  /** What the gateway cannot show (e.g. `http2` for a framework without HTTP/2); reported as skips. */
  readonly cannotObserve?: readonly Observable[];
  /** The factory's gateways report statuses (`HttpGateway.statuses`); default false. */
  readonly statuses?: boolean;
  /**
   * Host sent by requests that name none, as a client of a real Gateway sends its address; default
   * `192.0.2.1` (with `:port` off the scheme's default), like the core target. `false`: no Host.
   */
  readonly gatewayAddress?: string | false;
  /** How long to wait for a mirrored copy that must arrive (percent 100); default 2000 ms. */
  readonly mirrorWaitMs?: number;
  /** How long to wait for a copy that may not come (percent below 100); default 5 ms. */
  readonly partialMirrorWaitMs?: number;
}

/** The request header carrying each request's probe id, to find it in the echo records. */
// Not `x-switchyard-*`: the gateway drops its reserved prefix from requests (decision 19).
export const PROBE_HEADER = 'x-test-probe';

/** A weighted split or mirror share can only be measured over the wire. */
const NEVER: ReadonlySet<Observable> = new Set<Observable>([
  'backends.exact',
  'mirrors.percent.exact',
]);
const STATUS_OBSERVABLES: ReadonlySet<Observable> = new Set<Observable>([
  'route-status',
  'listener-status',
]);
const DEFAULT_PORTS = { http: 80, https: 443 } as const;

/**
 * A socket-level target over `factory`'s gateways.
 *
 * @example
 * ```ts
 * runCases({ target: httpTarget({ name: 'node', factory: nodeGatewayFactory, statuses: true }), dirs: [casesDir.gatewayApi] });
 * ```
 */
export function httpTarget(options: HttpTargetOptions): CaseTarget {
  const features = options.features ?? CORE_FEATURES;
  const blind = new Set(options.cannotObserve ?? []);
  return {
    name: options.name,
    supports: (feature) => features.has(feature),
    canObserve: (what) =>
      !NEVER.has(what) &&
      !blind.has(what) &&
      (options.statuses === true || !STATUS_OBSERVABLES.has(what)),
    open: async (caseFile) => {
      const session = new HttpSession(caseFile, options);
      await session.start();
      return session;
    },
  };
}

function keyOf(ref: ObjectRef): string {
  return `${ref.namespace}/${ref.name}`;
}

function firstGateway(caseFile: CaseFile, objects: readonly KubeObject[]): ObjectRef | undefined {
  if (caseFile.gateway) return caseFile.gateway;
  const gateway = objects.find((object) => object['kind'] === 'Gateway');
  const metadata = (gateway?.['metadata'] ?? {}) as { namespace?: string; name?: string };
  return gateway === undefined
    ? undefined
    : { namespace: metadata.namespace ?? 'default', name: metadata.name ?? '' };
}

function parseEcho(answer: RawAnswer): EchoRecord | undefined {
  const type = answer.headers['content-type'];
  if (typeof type !== 'string' || !type.startsWith('application/json')) return undefined;
  try {
    const value = JSON.parse(answer.body.toString('utf8')) as Partial<EchoRecord>;
    return value.echo === 'switchyard-echo' ? (value as EchoRecord) : undefined;
  } catch {
    return undefined;
  }
}

function probeOf(record: EchoRecord): string | undefined {
  return record.headers[PROBE_HEADER]?.[0];
}

class HttpSession implements CaseSession {
  private objects: readonly KubeObject[];
  private readonly fleet = new EchoFleet();
  private readonly clients = new Clients();
  private readonly gateways = new Map<string, Promise<HttpGateway>>();
  private readonly compiled = new Map<string, CompileResult>();
  private readonly compileOptions: CompileOptions;

  constructor(
    private readonly caseFile: CaseFile,
    private readonly options: HttpTargetOptions,
  ) {
    this.objects = withTlsMaterial(caseFile.objects);
    this.compileOptions = caseCompileOptions(caseFile);
  }

  async start(): Promise<void> {
    await this.fleet.ensure(this.objects);
  }

  private gatewayFor(ref: ObjectRef): Promise<HttpGateway> {
    const key = keyOf(ref);
    let gateway = this.gateways.get(key);
    if (gateway === undefined) {
      gateway = this.options.factory({
        caseFile: this.caseFile,
        gateway: ref,
        objects: this.objects,
        compileOptions: this.compileOptions,
        backends: this.fleet.addresses,
      });
      this.gateways.set(key, gateway);
    }
    return gateway;
  }

  private hostOf(request: NormalizedRequest): string | undefined {
    if (request.host !== undefined) return request.host;
    const address = this.options.gatewayAddress ?? '192.0.2.1';
    if (address === false) return undefined;
    return request.port === DEFAULT_PORTS[request.scheme] ? address : `${address}:${request.port}`;
  }

  async send(request: NormalizedRequest): Promise<Observation> {
    const gateway = await this.gatewayFor(request.gateway);
    const address = gateway.addressFor(request.port);
    if (address === undefined) {
      throw new Error(`Gateway ${keyOf(request.gateway)} does not listen on port ${request.port}`);
    }
    const host = this.hostOf(request);
    const probe = randomUUID();
    const extra = { [PROBE_HEADER]: probe };
    if (request.websocket) {
      const outcome = await this.clients.webSocket(address, request, host, extra);
      if (outcome.kind === 'refused') return this.responded(outcome.answer);
      if (outcome.kind === 'broken')
        throw new Error(`WebSocket session failed: ${outcome.problem}`);
      const backend = this.backendNamed(outcome.headers[ECHO_BACKEND_HEADER]);
      const record = backend?.records.find((candidate) => probeOf(candidate) === probe);
      if (backend === undefined || record === undefined) {
        throw new Error('the WebSocket frames came back, but no echo backend saw the handshake');
      }
      return this.forwarded(
        record,
        { status: 101, headers: outcome.headers, body: Buffer.alloc(0) },
        [],
      );
    }
    const answer =
      request.protocol === 'HTTP/2'
        ? await this.clients.sendHttp2(address, request, host, extra)
        : await this.clients.send(address, request, host, extra);
    let record = parseEcho(answer);
    if (record === undefined && typeof answer.headers[ECHO_BACKEND_HEADER] === 'string') {
      // A body-less answer (HEAD): the record of the backend that answered says what it received.
      record = this.backendNamed(answer.headers[ECHO_BACKEND_HEADER])?.records.find(
        (candidate) => probeOf(candidate) === probe,
      );
    }
    if (record === undefined) return this.responded(answer);
    const mirrors = await this.mirrorsOf(request, host, probe, record.backend);
    return this.forwarded(record, answer, mirrors);
  }

  private backendNamed(text: string | string[] | undefined): EchoBackend | undefined {
    if (typeof text !== 'string') return undefined;
    return this.fleet.all().find((backend) => {
      const id = backend.identity;
      return `${id.namespace}/${id.name}${id.port === undefined ? '' : `:${id.port}`}` === text;
    });
  }

  private forwarded(
    record: EchoRecord,
    answer: RawAnswer,
    mirrors: MirrorObservation[],
  ): Observation {
    return {
      kind: 'forwarded',
      backend: record.backend,
      upstream: {
        method: record.method,
        path: record.path,
        ...(record.host === undefined ? {} : { host: record.host }),
        headers: record.headers,
      },
      response: { status: answer.status, headers: answer.headers },
      mirrors,
    };
  }

  private responded(answer: RawAnswer): Observation {
    const text = answer.body.toString('utf8');
    return {
      kind: 'responded',
      status: answer.status,
      headers: answer.headers,
      detail: `body: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`,
    };
  }

  /**
   * Copies of this request seen by backends other than the one that answered. Mirrors are
   * fire-and-forget, so a copy may land just after the answer: the core's decision for the same
   * request says which copies to wait for (and how long: a copy sent with percent 100 must come).
   * Only the waiting uses the decision; the copies reported are the ones actually received.
   */
  private async mirrorsOf(
    request: NormalizedRequest,
    host: string | undefined,
    probe: string,
    primary: BackendId,
  ): Promise<MirrorObservation[]> {
    const waits = this.expectedMirrors(request, host).map((mirror) => {
      const backend = this.fleet.find(mirror.backend);
      const ms =
        mirror.percent >= 100
          ? (this.options.mirrorWaitMs ?? 2000)
          : (this.options.partialMirrorWaitMs ?? 5);
      return backend?.waitFor((record) => probeOf(record) === probe, ms);
    });
    await Promise.all(waits);
    const copies: MirrorObservation[] = [];
    for (const backend of this.fleet.all()) {
      const id = backend.identity;
      const same =
        id.namespace === primary.namespace &&
        id.name === primary.name &&
        id.port === primary.port &&
        id.kind === primary.kind;
      if (same) continue;
      if (backend.records.some((record) => probeOf(record) === probe)) copies.push({ backend: id });
    }
    return copies;
  }

  private expectedMirrors(request: NormalizedRequest, host: string | undefined): readonly Mirror[] {
    const key = keyOf(request.gateway);
    let compiled = this.compiled.get(key);
    if (compiled === undefined) {
      compiled = compile(this.objects, { ...this.compileOptions, gateway: request.gateway });
      this.compiled.set(key, compiled);
    }
    const decision = resolve(compiled.table, {
      method: request.method,
      path: request.path,
      ...(host === undefined ? {} : { host }),
      headers: request.headers,
      port: request.port,
      scheme: request.scheme,
      ...(request.sni === undefined ? {} : { sni: request.sni }),
    });
    return decision.kind === 'forward' ? decision.mirrors : [];
  }

  async statuses(): Promise<ObservedStatuses> {
    const ref = firstGateway(this.caseFile, this.objects);
    if (ref === undefined) throw new Error('the case has no Gateway to ask for statuses');
    const gateway = await this.gatewayFor(ref);
    if (gateway.statuses === undefined) throw new Error(`${this.options.name} reports no statuses`);
    return gateway.statuses();
  }

  async apply(_step: UpdateStep, objects: readonly KubeObject[]): Promise<void> {
    this.objects = withTlsMaterial(objects);
    this.compiled.clear();
    await this.fleet.ensure(this.objects);
    const gateways = await Promise.all(this.gateways.values());
    await Promise.all(gateways.map((gateway) => gateway.apply(this.objects)));
  }

  async close(): Promise<void> {
    const gateways = await Promise.allSettled(this.gateways.values());
    await Promise.all(
      gateways.map((result) => (result.status === 'fulfilled' ? result.value.close() : undefined)),
    );
    this.clients.close();
    await this.fleet.close();
  }
}
