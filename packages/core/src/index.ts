/**
 * @switchyard/core: the Gateway API and kgateway route delegation, compiled into an immutable
 * route table and resolved request by request. Pure: no I/O, no Node modules, no clocks.
 *
 * @example
 * ```ts
 * import { compile, resolve } from '@switchyard/core';
 * const { table, statuses } = compile(objectsFromYaml);
 * const decision = resolve(table, { method: 'GET', host: 'api.example.com', path: '/banking/accounts' });
 * if (decision.kind === 'forward') console.log(decision.backends, decision.upstream.path);
 * ```
 */
export type * from './api/objects.js';
export type * from './api/normalized.js';
export type * from './decision.js';
export type * from './status.js';
export type * from './table.js';
export type { Regex } from './match/regex.js';
export {
  GATEWAY_GROUP,
  KGATEWAY_GROUP,
  DELEGATION_GROUP,
  DELEGATION_LABEL,
  INHERIT_PARENT_MATCHER_ANNOTATION,
  ROUTE_WEIGHT_ANNOTATION,
  INHERITED_POLICY_PRIORITY_ANNOTATION,
  ALLOWED_NAMESPACES_ANNOTATION,
} from './api/objects.js';

export { compile } from './compile/compile.js';
export type { CompileOptions, CompileResult } from './compile/compile.js';
export type { OwnAddress, ServiceAddress } from './compile/gateway-findings.js';
export { normalize } from './api/normalize.js';
export { parseDuration } from './api/duration.js';
export { resolve } from './resolve.js';
export { delegatedScope } from './scope.js';
export { explain, formatTrace } from './explain.js';
export type { Explanation, TraceStep } from './explain.js';
export type { DelegatedChild, DelegationFacts } from './explain-delegation.js';
export { formatRouteRef, formatTable } from './format.js';
export { splitTable, assembleTable } from './match/assemble.js';
export type { TableOutline, ListenerOutline, WireRoute, WireScope } from './match/assemble.js';
export { normalizeRequestPath } from './match/normalize-path.js';
export { MAX_REGEX_PROGRAM_SIZE } from './match/regex.js';
export { DEFAULT_MAX_PATH_LENGTH, DEFAULT_MAX_HEADER_VALUE_LENGTH } from './table.js';
export { applyHeaderModifier } from './decide/headers.js';
export {
  PROTECTED_HEADER_NAMES,
  PROTECTED_HEADER_PREFIXES,
  isProtectedHeaderName,
  hasForbiddenValueCharacter,
} from './api/protected-headers.js';
export { corsPreflight, corsResponseHeaders } from './decide/cors.js';
export { pickBackend } from './decide/pick.js';
export type { RouteSource } from './source.js';
export { staticSource } from './source.js';
