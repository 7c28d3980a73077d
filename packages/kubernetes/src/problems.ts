/**
 * Why the source cannot serve its Gateway right now, as data: the API server unreachable, a
 * request refused (401/403), a CRD not installed, the Gateway or its GatewayClass missing, or the
 * Gateway belonging to another controller. The source recomputes these after every change and
 * every failed request; the CLI logs them and answers `/readyz` with them. Each says which
 * resource or object, what went wrong, and what fixes it.
 */
import { httpStatusOf, type RawObject } from './kube-client.js';

export type ProblemCode =
  | 'unreachable'
  | 'unauthorized'
  | 'forbidden'
  | 'crd-missing'
  | 'api-error'
  | 'gateway-missing'
  | 'gateway-class-missing'
  | 'gateway-class-foreign';

export interface SourceProblem {
  readonly code: ProblemCode;
  /** The resource (`gateways.gateway.networking.k8s.io`) or object (`Gateway gw/http`) concerned. */
  readonly subject: string;
  /** What is wrong, e.g. the API server's answer. */
  readonly detail: string;
  /** What to do about it. */
  readonly fix: string;
}

/** One watched resource as the problem check sees it. */
export interface ResourceHealth {
  /** `plural.group`, as kubectl names it. */
  readonly resource: string;
  readonly error: unknown;
  readonly absent: boolean;
  /** Whether serving needs it (Gateway API kinds); kgateway Backends are optional. */
  readonly required: boolean;
}

export interface ProblemInput {
  readonly server: string;
  readonly resources: readonly ResourceHealth[];
  /** Whether every resource was listed once (before that, the Gateway cannot be missing yet). */
  readonly synced: boolean;
  readonly gateway: { readonly namespace: string; readonly name: string };
  readonly gatewayObject: RawObject | undefined;
  readonly gatewayClasses: readonly RawObject[];
  readonly controllerName: string;
}

const GATEWAY_API_INSTALL =
  'install the Gateway API CRDs: kubectl apply -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.3.0/standard-install.yaml';

/**
 * @example
 * ```ts
 * problemsOf({ server, resources, synced: true, gateway, gatewayObject: undefined, gatewayClasses: [], controllerName })
 * // [{ code: 'gateway-missing', subject: 'Gateway gw/http', ... }]
 * ```
 */
export function problemsOf(input: ProblemInput): SourceProblem[] {
  const problems: SourceProblem[] = [];
  for (const health of input.resources) {
    const problem = resourceProblem(input.server, health);
    if (problem) problems.push(problem);
  }
  // Until the cluster answers, whether the Gateway exists is unknown: say only what is known.
  if (problems.length > 0 || !input.synced) return dedupeUnreachable(problems);
  const gateway = `Gateway ${input.gateway.namespace}/${input.gateway.name}`;
  if (!input.gatewayObject)
    return [
      {
        code: 'gateway-missing',
        subject: gateway,
        detail: 'not found',
        fix: `create it (spec.gatewayClassName naming a GatewayClass whose controllerName is ${input.controllerName}), or point --gateway at an existing one; it is served as soon as it appears`,
      },
    ];
  const className = gatewayClassNameOf(input.gatewayObject);
  const gatewayClass = input.gatewayClasses.find((c) => c.metadata?.name === className);
  if (!gatewayClass)
    return [
      {
        code: 'gateway-class-missing',
        subject: gateway,
        detail: `its GatewayClass "${className}" does not exist`,
        fix: `create GatewayClass ${className} with spec.controllerName ${input.controllerName}`,
      },
    ];
  const owner = controllerNameOf(gatewayClass);
  if (owner !== input.controllerName)
    return [
      {
        code: 'gateway-class-foreign',
        subject: gateway,
        detail: `its GatewayClass "${className}" belongs to controller ${owner}, not ${input.controllerName}: not served, no status written`,
        fix: `to move it to Switchyard, set its spec.gatewayClassName to a GatewayClass whose controllerName is ${input.controllerName} (or start Switchyard with --controller-name ${owner} if that controller is Switchyard)`,
      },
    ];
  return [];
}

export function gatewayClassNameOf(gateway: RawObject): string {
  const spec = gateway['spec'] as { gatewayClassName?: unknown } | undefined;
  return typeof spec?.gatewayClassName === 'string' ? spec.gatewayClassName : '';
}

export function controllerNameOf(gatewayClass: RawObject): string {
  const spec = gatewayClass['spec'] as { controllerName?: unknown } | undefined;
  return typeof spec?.controllerName === 'string' ? spec.controllerName : '';
}

function resourceProblem(server: string, health: ResourceHealth): SourceProblem | undefined {
  const { resource } = health;
  if (health.absent) {
    if (!health.required) return undefined;
    return {
      code: 'crd-missing',
      subject: resource,
      detail: `the API server does not serve ${resource} (404): the CRD is not installed`,
      fix: GATEWAY_API_INSTALL,
    };
  }
  if (health.error === undefined) return undefined;
  const status = httpStatusOf(health.error);
  const message = messageOf(health.error);
  if (status === 401)
    return {
      code: 'unauthorized',
      subject: resource,
      detail: `401 Unauthorized from ${server}: ${message}`,
      fix: 'the credentials of the kubeconfig (or the ServiceAccount token) are not accepted: renew them',
    };
  if (status === 403)
    return {
      code: 'forbidden',
      subject: resource,
      detail: `403 Forbidden: ${message}`,
      fix: `grant list and watch on ${resource} to this identity (deploy/clusterrole.yaml has the rules)`,
    };
  if (status === undefined)
    return {
      code: 'unreachable',
      subject: server,
      detail: `cannot reach the API server: ${message}`,
      fix: 'check KUBECONFIG (or the in-cluster ServiceAccount), the network path and the server certificate; retrying',
    };
  if (status === 404 && !health.required) return undefined;
  return {
    code: 'api-error',
    subject: resource,
    detail: `${status} from the API server: ${message}`,
    fix: 'retrying with backoff; see the API server logs if it persists',
  };
}

/** An unreachable server fails every resource: one line says it. */
function dedupeUnreachable(problems: SourceProblem[]): SourceProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    if (p.code !== 'unreachable') return true;
    if (seen.has(p.subject)) return false;
    seen.add(p.subject);
    return true;
  });
}

function messageOf(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const body = (error as { body?: unknown }).body;
    if (typeof body === 'string') {
      try {
        const status = JSON.parse(body) as { message?: unknown };
        if (typeof status.message === 'string') return status.message;
      } catch {
        // not JSON: fall through to the error's own message
      }
    }
    const { message, code } = error as { message?: unknown; code?: unknown };
    const text = typeof message === 'string' ? message : String(error);
    return typeof code === 'string' && !text.includes(code) ? `${code} ${text}` : text;
  }
  return String(error);
}
