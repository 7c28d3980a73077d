/**
 * Metric and log labels for routes and backends. Table objects are frozen and shared across
 * requests, so the strings are computed once per object.
 */
import type { RouteRef } from '@switchyard/core';
import type { BackendTarget } from './backends/resolver.js';

const routeLabels = new WeakMap<RouteRef, string>();
const backendLabels = new WeakMap<BackendTarget, string>();

/** `namespace/name` of a route, '' for none. */
export function routeLabel(ref: RouteRef | undefined): string {
  if (ref === undefined) return '';
  let label = routeLabels.get(ref);
  if (label === undefined) {
    label = `${ref.namespace}/${ref.name}`;
    routeLabels.set(ref, label);
  }
  return label;
}

/** `namespace/name:port` of a Service; `Kind:namespace/name:port` for other kinds. */
export function backendLabel(backend: BackendTarget | undefined): string {
  if (backend === undefined) return '';
  let label = backendLabels.get(backend);
  if (label === undefined) {
    const kind = backend.kind === 'Service' && backend.group === '' ? '' : `${backend.kind}:`;
    label = `${kind}${backend.namespace}/${backend.name}:${backend.port}`;
    backendLabels.set(backend, label);
  }
  return label;
}
