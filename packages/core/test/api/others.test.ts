/** ReferenceGrant, Service, Namespace, Secret and kgateway Backend. */
import { describe, expect, it } from 'vitest';
import { encodeBase64 } from '../../src/api/base64.js';
import { normalize } from '../../src/api/normalize.js';

const meta = (name: string, namespace = 'apps') => ({ name, namespace });

describe('ReferenceGrant', () => {
  const spec = {
    from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'web' }],
    to: [
      { group: '', kind: 'Service' },
      { group: '', kind: 'Service', name: 'api' },
    ],
  };
  it.each(['v1', 'v1beta1'])('reads gateway.networking.k8s.io/%s', (version) => {
    const { objects, diagnostics } = normalize([
      {
        apiVersion: `gateway.networking.k8s.io/${version}`,
        kind: 'ReferenceGrant',
        metadata: meta('g'),
        spec,
      },
    ]);
    expect(diagnostics).toEqual([]);
    expect(objects.referenceGrants).toEqual([{ namespace: 'apps', name: 'g', ...spec }]);
  });

  it('leaves out invalid entries and reports them', () => {
    const { objects, diagnostics } = normalize([
      {
        kind: 'ReferenceGrant',
        metadata: meta('g'),
        spec: { from: [{ group: '', kind: 'HTTPRoute' }, ...spec.from], to: spec.to },
      },
    ]);
    expect(objects.referenceGrants[0]!.from).toEqual(spec.from);
    expect(diagnostics).toEqual([
      {
        severity: 'error',
        code: 'invalid-field',
        message: 'ReferenceGrant apps/g: spec.from[0].namespace: is required',
        index: 0,
        object: { kind: 'ReferenceGrant', namespace: 'apps', name: 'g' },
        path: 'spec.from[0].namespace',
      },
    ]);
  });
});

describe('Service', () => {
  it('keeps ports (port, name, appProtocol) and defaults type to ClusterIP', () => {
    const { objects } = normalize([
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta('svc'),
        spec: {
          ports: [
            { name: 'http', port: 8080, targetPort: 3000, protocol: 'TCP' },
            { port: 9090, appProtocol: 'kubernetes.io/h2c' },
          ],
        },
      },
    ]);
    expect(objects.services.get('apps/svc')).toEqual({
      namespace: 'apps',
      name: 'svc',
      type: 'ClusterIP',
      ports: [
        { port: 8080, name: 'http' },
        { port: 9090, appProtocol: 'kubernetes.io/h2c' },
      ],
    });
  });

  it('keeps ExternalName, drops an invalid port with a diagnostic', () => {
    const { objects, diagnostics } = normalize([
      {
        kind: 'Service',
        metadata: meta('svc'),
        spec: { type: 'ExternalName', ports: [{ port: 0 }, { port: 80 }] },
      },
    ]);
    expect(objects.services.get('apps/svc')).toMatchObject({
      type: 'ExternalName',
      ports: [{ port: 80 }],
    });
    expect(diagnostics.map((d) => [d.code, d.path])).toEqual([
      ['invalid-field', 'spec.ports[0].port'],
    ]);
  });
});

describe('Namespace', () => {
  it('has its labels plus kubernetes.io/metadata.name, and ignores metadata.namespace', () => {
    const { objects } = normalize([
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'web', namespace: 'x', labels: { env: 'prod' } },
      },
    ]);
    expect(objects.namespaces.get('web')).toEqual({
      name: 'web',
      labels: { env: 'prod', 'kubernetes.io/metadata.name': 'web' },
    });
  });

  it('the metadata.name label always carries the name, as the control plane sets it', () => {
    const { objects } = normalize([
      {
        kind: 'Namespace',
        metadata: { name: 'web', labels: { 'kubernetes.io/metadata.name': 'other' } },
      },
    ]);
    expect(objects.namespaces.get('web')!.labels).toEqual({ 'kubernetes.io/metadata.name': 'web' });
  });
});

describe('Secret', () => {
  it('keeps type and base64 data; stringData is encoded and overrides data', () => {
    const { objects } = normalize([
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: meta('cert'),
        type: 'kubernetes.io/tls',
        data: { 'tls.crt': 'Y3J0', 'tls.key': 'b2xk' },
        stringData: { 'tls.key': 'key', extra: 'é' },
      },
    ]);
    expect(objects.secrets.get('apps/cert')).toEqual({
      namespace: 'apps',
      name: 'cert',
      type: 'kubernetes.io/tls',
      data: { extra: 'w6k=', 'tls.crt': 'Y3J0', 'tls.key': 'a2V5' },
    });
  });

  it('type is "" when omitted', () => {
    expect(
      normalize([{ kind: 'Secret', metadata: meta('s') }]).objects.secrets.get('apps/s'),
    ).toEqual({
      namespace: 'apps',
      name: 's',
      type: '',
      data: {},
    });
  });

  it.each([
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
    ['€😀', '4oKs8J+YgA=='],
    ['\uD800', '77+9'],
  ])('encodeBase64(%j) is %s (RFC 4648 vectors, UTF-8)', (text, encoded) => {
    expect(encodeBase64(text)).toBe(encoded);
  });
});

describe('kgateway Backend', () => {
  it('reads static hosts', () => {
    const { objects, diagnostics } = normalize([
      {
        apiVersion: 'gateway.kgateway.dev/v1alpha1',
        kind: 'Backend',
        metadata: meta('ext'),
        spec: {
          type: 'Static',
          static: { hosts: [{ host: 'api.example.com', port: 443 }], appProtocol: 'http2' },
        },
      },
    ]);
    expect(diagnostics).toEqual([]);
    expect(objects.backends.get('apps/ext')).toEqual({
      namespace: 'apps',
      name: 'ext',
      hosts: [{ host: 'api.example.com', port: 443 }],
      appProtocol: 'http2',
    });
  });

  it('ignores other types and other groups with a diagnostic', () => {
    const { objects, diagnostics } = normalize([
      {
        apiVersion: 'gateway.kgateway.dev/v1alpha1',
        kind: 'Backend',
        metadata: meta('aws'),
        spec: { type: 'AWS' },
      },
      {
        apiVersion: 'gateway.envoyproxy.io/v1alpha1',
        kind: 'Backend',
        metadata: meta('eg'),
        spec: { type: 'Static' },
      },
    ]);
    expect(objects.backends.size).toBe(0);
    expect(diagnostics.map((d) => [d.index, d.code, d.severity])).toEqual([
      [0, 'invalid-field', 'error'],
      [1, 'unknown-kind', 'warning'],
    ]);
    expect(diagnostics[0]!.message).toBe(
      'Backend apps/aws: spec.type: Unsupported value: "AWS": supported values: "Static"',
    );
  });
});
