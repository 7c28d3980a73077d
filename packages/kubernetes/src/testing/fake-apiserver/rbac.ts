/**
 * RBAC for the fake API server, as the real one evaluates it: a request is allowed when one rule
 * of the caller's ClusterRoles (bound by ClusterRoleBindings) or of its Roles (bound by
 * RoleBindings, in their namespace only) names its verb, API group, resource (with `/subresource`)
 * and, when the rule lists them, its object name. Anything else answers 403 Forbidden with the
 * API server's message. The rules come from the manifests a deployment applies (`deploy/*.yaml`),
 * so a test can prove that the shipped RBAC is exactly what the running code needs.
 */

export interface RbacRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
  /** Set for a Role's rule: it applies in this namespace only. */
  readonly namespace?: string;
}

export interface RbacPolicy {
  /** Named in 403 messages, e.g. `system:serviceaccount:switchyard-system:switchyard`. */
  readonly user: string;
  readonly rules: readonly RbacRule[];
}

/** What the authorizer sees of a request. */
export interface RequestAttributes {
  readonly verb: string;
  readonly group: string;
  /** `gateways`, or `gateways/status` for a subresource. */
  readonly resource: string;
  readonly namespace?: string;
  readonly name?: string;
}

interface Manifest {
  readonly kind?: unknown;
  readonly metadata?: { readonly name?: unknown; readonly namespace?: unknown };
  readonly rules?: unknown;
  readonly roleRef?: { readonly kind?: unknown; readonly name?: unknown };
  readonly subjects?: unknown;
}

/**
 * The rules a ServiceAccount gets from `manifests` (parsed YAML documents).
 *
 * @example
 * ```ts
 * const policy = rbacPolicyFor(parseAllDocuments(yaml).map((d) => d.toJS()), { namespace: 'switchyard-system', name: 'switchyard' });
 * const api = await createFakeApiServer({ rbac: policy });
 * ```
 */
export function rbacPolicyFor(
  manifests: readonly unknown[],
  serviceAccount: { readonly namespace: string; readonly name: string },
): RbacPolicy {
  const docs = manifests.filter((m): m is Manifest => typeof m === 'object' && m !== null);
  const bound = (binding: Manifest): boolean =>
    Array.isArray(binding.subjects) &&
    binding.subjects.some(
      (s: { kind?: unknown; name?: unknown; namespace?: unknown }) =>
        s.kind === 'ServiceAccount' &&
        s.name === serviceAccount.name &&
        (s.namespace ?? binding.metadata?.namespace) === serviceAccount.namespace,
    );
  const roleRules = (kind: string, name: unknown, namespace?: string): RbacRule[] =>
    docs
      .filter(
        (d) =>
          d.kind === kind &&
          d.metadata?.name === name &&
          (kind === 'ClusterRole' || d.metadata?.namespace === namespace),
      )
      .flatMap((role) => (Array.isArray(role.rules) ? (role.rules as RbacRule[]) : []));
  const rules: RbacRule[] = [];
  for (const binding of docs.filter(bound)) {
    const ref = binding.roleRef;
    if (binding.kind === 'ClusterRoleBinding' && ref?.kind === 'ClusterRole')
      rules.push(...roleRules('ClusterRole', ref.name));
    if (binding.kind === 'RoleBinding') {
      const namespace = String(binding.metadata?.namespace ?? 'default');
      const found =
        ref?.kind === 'ClusterRole'
          ? roleRules('ClusterRole', ref.name)
          : roleRules('Role', ref?.name, namespace);
      rules.push(...found.map((rule) => ({ ...rule, namespace })));
    }
  }
  return {
    user: `system:serviceaccount:${serviceAccount.namespace}:${serviceAccount.name}`,
    rules,
  };
}

/** The rules that allow `request` (none: 403). */
export function allowingRules(rules: readonly RbacRule[], request: RequestAttributes): RbacRule[] {
  const has = (list: readonly string[] | undefined, value: string) =>
    (list ?? []).includes('*') || (list ?? []).includes(value);
  return rules.filter(
    (rule) =>
      (rule.namespace === undefined || rule.namespace === request.namespace) &&
      has(rule.verbs, request.verb) &&
      has(rule.apiGroups, request.group) &&
      has(rule.resources, request.resource) &&
      (rule.resourceNames === undefined ||
        rule.resourceNames.length === 0 ||
        (request.name !== undefined && rule.resourceNames.includes(request.name))),
  );
}

/**
 * A request's attributes from its method and path; undefined for non-resource paths (discovery,
 * `/version`), which every authenticated caller may read.
 */
export function requestAttributes(
  method: string,
  pathname: string,
  watch: boolean,
): RequestAttributes | undefined {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let rest: string[];
  let group: string;
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1]!;
    rest = parts.slice(3);
  } else return undefined;
  let namespace: string | undefined;
  // `namespaces/<ns>/<resource>...` is inside a namespace; `namespaces[/<name>[/status]]` is the Namespace itself.
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    !(rest.length === 3 && group === '' && ['status', 'finalize'].includes(rest[2]!))
  ) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource] = rest;
  if (plural === undefined) return undefined;
  const verb = verbOf(method, name !== undefined, watch);
  return {
    verb,
    group,
    resource: subresource === undefined ? plural : `${plural}/${subresource}`,
    ...(namespace === undefined ? {} : { namespace }),
    ...(name === undefined ? {} : { name }),
  };
}

function verbOf(method: string, named: boolean, watch: boolean): string {
  switch (method) {
    case 'GET':
      return watch ? 'watch' : named ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

/** The API server's 403 message. */
export function forbiddenMessage(user: string, request: RequestAttributes): string {
  const [plural, subresource] = request.resource.split('/');
  const qualified = request.group === '' ? plural : `${plural}.${request.group}`;
  const object = request.name === undefined ? qualified : `${qualified} "${request.name}"`;
  const scope =
    request.namespace === undefined
      ? 'at the cluster scope'
      : `in the namespace "${request.namespace}"`;
  return `${object} is forbidden: User "${user}" cannot ${request.verb} resource "${plural}"${subresource ? ` with subresource "${subresource}"` : ''} in API group "${request.group}" ${scope}`;
}
