import type { FactStore } from '../engine/facts.js';
import type { Scope } from '../report/model.js';

/**
 * The domain, gMSAs and host a run judged: what AD and the host said, else what was asked for. On the container
 * host without --host, the host judged is this one.
 */
export function scopeOf(facts: FactStore, asked: { domain?: string; gmsas: readonly string[]; host?: string }): Scope {
  const windows = facts.optional('host.windows');
  const domain =
    facts.optional('ad.domain')?.dnsName ?? facts.optional('net.domain') ?? asked.domain ?? windows?.domain;
  const named = [...asked.gmsas, ...facts.subjects('gmsa').map((s) => s.id)];
  const gmsas = named.filter((g, i) => named.findIndex((o) => o.toLowerCase() === g.toLowerCase()) === i);
  const host = asked.host ?? windows?.computerName;
  return { ...(domain ? { domain } : {}), gmsas, ...(host ? { host } : {}) };
}
