/**
 * The runtime refusal of decisions 21 and 22, at the one place every backend connection is made:
 * the undici connector of each pool (primary requests, retries, mirrors and upgrades alike). A
 * literal IP is checked before connecting; a name is checked in the DNS lookup, on every address
 * it resolves to, so a name that points at the gateway or at the metadata service (or is rebound
 * to one later) is refused too. A refused destination is never connected to.
 */
import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import { buildConnector } from 'undici';
import { DestinationDeniedError, SelfTargetError } from '../errors.js';
import type { SwitchyardError } from '../errors.js';
import { OwnAddresses, canonicalIp } from './own-addresses.js';
import { DestinationRules } from './policy.js';
import type { DestinationPolicy } from './policy.js';

/** What the proxy may not connect to: its own listening addresses and the policy's denials. */
export class DestinationGuard {
  readonly own = new OwnAddresses();
  private readonly rules: DestinationRules;

  constructor(policy?: DestinationPolicy) {
    this.rules = new DestinationRules(policy);
  }

  /** The error refusing `ip`:`port` (`host` is the name it came from), or undefined. */
  refusal(ip: string, port: number, host: string): SwitchyardError | undefined {
    if (this.own.has(ip, port)) {
      return new SelfTargetError('refused: the backend is this gateway itself', {
        cause: `${host}:${port} resolves to ${ip}, an address this gateway listens on`,
      });
    }
    if (!this.rules.permits(ip)) {
      return new DestinationDeniedError('refused: the destination policy denies this backend', {
        cause: `${host} resolves to ${ip}, which the destination policy denies`,
      });
    }
    return undefined;
  }

  /**
   * An undici connector for `origin` (options as `buildConnector` takes them) that refuses what
   * `refusal` refuses, before a socket is opened.
   */
  connector(origin: string, options: buildConnector.BuildOptions): buildConnector.connector {
    const url = new URL(origin);
    const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
    const base = buildConnector({ ...options, lookup: this.lookupFor(port) });
    return (connectOptions, callback) => {
      const host = canonicalIp(connectOptions.hostname);
      if (isIP(host) !== 0) {
        const refusal = this.refusal(host, port, host);
        if (refusal !== undefined) {
          callback(refusal, null);
          return;
        }
      }
      base(connectOptions, callback);
    };
  }

  /** `dns.lookup` that fails with the refusal when any address of the name is refused. */
  private lookupFor(port: number): LookupFunction {
    return (hostname, options, callback) => {
      const all: LookupAllOptions = { ...(options as LookupOneOptions), all: true };
      dnsLookup(hostname, all, (error, addresses: LookupAddress[]) => {
        if (error !== null) {
          callback(error, '', 0);
          return;
        }
        for (const entry of addresses) {
          const refusal = this.refusal(entry.address, port, hostname);
          if (refusal !== undefined) {
            callback(refusal as NodeJS.ErrnoException, '', 0);
            return;
          }
        }
        if ((options as { all?: boolean }).all === true) {
          (callback as unknown as (e: null, list: LookupAddress[]) => void)(null, addresses);
        } else {
          callback(null, addresses[0]!.address, addresses[0]!.family);
        }
      });
    };
  }
}
