/**
 * The local backend map of `serve`: which URL stands in for each backend a route names, as
 * `<namespace>/<name>:<port>` → `http://127.0.0.1:9101`. Given as repeatable
 * `--backend ns/name:port=url` flags and/or a file (`--backends file.yaml`) shaped like
 * `examples/delegation/backends.local.yaml`: `backends: { "banking/accounts:8080": "http://..." }`
 * (a top-level mapping without `backends:` works too). Flags win over the file. Without either,
 * a `backends.local.yaml` at the top of a served folder is used (see {@link discoverBackendsFile}).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { RouteTable } from '@switchyard/core';
import { CliError } from '../errors.js';

/** `ns/name:port` → origin URL. */
export type BackendMap = Readonly<Record<string, string>>;

const KEY = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?:\d{1,5}$/;

/** The conventional local backend map next to the manifests. */
export const LOCAL_BACKENDS_FILE = 'backends.local.yaml';

/**
 * The first served folder's `backends.local.yaml`, as a path relative to `cwd` like the folder
 * was given; undefined when none has one.
 */
export function discoverBackendsFile(paths: readonly string[], cwd: string): string | undefined {
  for (const path of paths) {
    const folder = resolve(cwd, path);
    if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) continue;
    if (existsSync(join(folder, LOCAL_BACKENDS_FILE))) return join(path, LOCAL_BACKENDS_FILE);
  }
  return undefined;
}

/** Reads `--backends <file>` then applies each `--backend key=url`; throws `CliError` on bad input. */
export function loadBackendMap(
  file: string | undefined,
  flags: readonly string[],
  cwd: string,
): BackendMap {
  const read = readBackendMap(file, flags, cwd);
  if (!read.ok) throw new CliError(read.message);
  return read.map;
}

export type BackendMapRead =
  | { readonly ok: true; readonly map: BackendMap }
  | { readonly ok: false; readonly message: string };

/** {@link loadBackendMap} without throwing: a reload reports the message and keeps the old map. */
export function readBackendMap(
  file: string | undefined,
  flags: readonly string[],
  cwd: string,
): BackendMapRead {
  try {
    const map: Record<string, string> = {};
    if (file !== undefined) {
      for (const [key, url] of Object.entries(readBackendsFile(resolve(cwd, file), file))) {
        map[checkKey(key, file)] = checkUrl(url, `${file}: ${key}`);
      }
    }
    for (const flag of flags) {
      const equals = flag.indexOf('=');
      if (equals < 0) throw new CliError(`--backend must be ns/name:port=url, got '${flag}'`);
      const key = flag.slice(0, equals);
      map[checkKey(key, '--backend')] = checkUrl(flag.slice(equals + 1), `--backend ${key}`);
    }
    return { ok: true, map };
  } catch (error) {
    if (error instanceof CliError) return { ok: false, message: error.message };
    throw error;
  }
}

/**
 * Keys of the map that name no backend any route of the table forwards or mirrors to: usually a
 * typo (`banking/acounts:8080`) that leaves the real backend dialled at its cluster address.
 */
export function unknownBackendKeys(table: RouteTable, map: BackendMap): string[] {
  const used = new Set<string>();
  // The routes flattened from one rule share its action: each is read once (at 50k routes this
  // runs on the serving thread at every reload).
  const seen = new Set<RouteTable['listeners'][number]['routes'][number]['action']>();
  const use = (backend: { namespace: string; name: string; port: number }) =>
    used.add(`${backend.namespace}/${backend.name}:${backend.port}`);
  for (const listener of table.listeners) {
    for (const { action } of listener.routes) {
      if (action.kind !== 'forward' || seen.has(action)) continue;
      seen.add(action);
      for (const backend of action.backends) use(backend);
      for (const mirror of action.mirrors) use(mirror.backend);
    }
  }
  return Object.keys(map)
    .filter((key) => !used.has(key))
    .sort();
}

function readBackendsFile(path: string, given: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new CliError(`--backends: cannot read ${given}`);
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new CliError(
      `--backends: ${given} does not parse: ${String(error instanceof Error ? error.message : error).split('\n')[0]}`,
    );
  }
  const map = isRecord(data) && isRecord(data.backends) ? data.backends : data;
  if (!isRecord(map))
    throw new CliError(
      `--backends: ${given} must map "ns/name:port" to URLs (under a "backends:" key or at the top)`,
    );
  return map;
}

function checkKey(key: string, where: string): string {
  if (!KEY.test(key))
    throw new CliError(`${where}: backend key must be namespace/name:port, got '${key}'`);
  return key;
}

function checkUrl(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new CliError(`${where}: the URL must be a string`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`${where}: not a URL: '${value}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CliError(`${where}: the URL must be http:// or https://, got '${value}'`);
  if (url.pathname !== '/' || url.search !== '')
    throw new CliError(`${where}: the URL must be an origin without a path, got '${value}'`);
  return url.origin;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
