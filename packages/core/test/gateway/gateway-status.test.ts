// gateway-api.md G-6 and 1.22: the Gateway's own Accepted condition follows its listeners. The
// listener conditions themselves are pinned by the case files in test-kit/cases/switchyard/.
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/index.js';

const gateway = (listeners: unknown[]) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'gw', namespace: 'infra' },
  spec: { gatewayClassName: 'switchyard', listeners },
});

function condition(listeners: unknown[], type: string) {
  const [status] = compile([gateway(listeners)]).gateways;
  return status!.conditions.find((c) => c.type === type);
}
const accepted = (listeners: unknown[]) => condition(listeners, 'Accepted');

describe('G-6: Gateway Accepted follows its listeners', () => {
  it('all listeners valid: Accepted=True reason Accepted', () => {
    expect(accepted([{ name: 'a', port: 80, protocol: 'HTTP' }])).toMatchObject({
      status: 'True',
      reason: 'Accepted',
    });
  });

  it('one conflicted listener among valid ones: Accepted=True reason ListenersNotValid', () => {
    const result = accepted([
      { name: 'a', port: 80, protocol: 'HTTP', hostname: 'x.example.com' },
      { name: 'b', port: 80, protocol: 'HTTP', hostname: 'x.example.com' },
      { name: 'c', port: 80, protocol: 'HTTP', hostname: 'y.example.com' },
    ]);
    expect(result).toMatchObject({ status: 'True', reason: 'ListenersNotValid' });
  });

  it('no listener accepted: Accepted=False reason ListenersNotValid', () => {
    const result = accepted([
      { name: 'a', port: 80, protocol: 'HTTP' },
      { name: 'b', port: 80, protocol: 'HTTP' },
    ]);
    expect(result).toMatchObject({ status: 'False', reason: 'ListenersNotValid' });
  });

  it('Programmed=False reason Invalid when no listener can be served, True while one can', () => {
    const conflicted = [
      { name: 'a', port: 80, protocol: 'HTTP' },
      { name: 'b', port: 80, protocol: 'HTTP' },
    ];
    expect(condition(conflicted, 'Programmed')).toMatchObject({
      status: 'False',
      reason: 'Invalid',
    });
    const one = [...conflicted, { name: 'c', port: 81, protocol: 'HTTP' }];
    expect(condition(one, 'Programmed')).toMatchObject({ status: 'True', reason: 'Programmed' });
  });

  it('a conflicted listener is not in the table; the distinct one is', () => {
    const { table } = compile([
      gateway([
        { name: 'a', port: 80, protocol: 'HTTP', hostname: 'x.example.com' },
        { name: 'b', port: 80, protocol: 'HTTP', hostname: 'x.example.com' },
        { name: 'c', port: 80, protocol: 'HTTP', hostname: 'y.example.com' },
      ]),
    ]);
    expect(table.listeners.map((l) => l.name)).toEqual(['c']);
  });
});
