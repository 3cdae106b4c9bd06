import { NestingLimitError, parseBoundedJson } from '../json-depth.js';
import type { ContainerFacts, InspectProblem } from '../../facts/docker.js';
type Json = Record<string, unknown>;

const obj = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** One inspect object; returns a reason (naming the field) when it is not a container's inspect data. */
export function containerFromInspect(raw: unknown): ContainerFacts | { field: string; reason: string } {
  const o = obj(raw);
  if (!o) return { field: '', reason: 'not an object' };
  const id = str(o.Id);
  if (!id) return { field: 'Id', reason: 'missing: this is not `docker inspect` output of a container' };
  const config = obj(o.Config) ?? {};
  const host = obj(o.HostConfig) ?? {};
  const state = obj(o.State) ?? {};
  const securityOpt = strings(host.SecurityOpt);
  // Docker matches the key exactly; a near miss (credentialSpec=, credentialspec:) is kept for the checks to explain.
  const credentialSpecOption = securityOpt.find((opt) => /^credentialspec[=:]/i.test(opt.trim()));
  const container: ContainerFacts = {
    id,
    name: (str(o.Name) ?? id.slice(0, 12)).replace(/^\//, ''),
    image: str(config.Image),
    platform: str(o.Platform),
    running: state.Running === true,
    stateError: str(state.Error) || undefined,
    hostname: str(config.Hostname),
    user: str(config.User),
    isolation: str(host.Isolation),
    securityOpt,
    dns: strings(host.Dns),
    networkMode: str(host.NetworkMode),
  };
  if (credentialSpecOption) container.credentialSpecOption = credentialSpecOption;
  return Object.fromEntries(Object.entries(container).filter(([, v]) => v !== undefined)) as unknown as ContainerFacts;
}

/** A whole `docker inspect` file: an array of objects (or one object). */
export function parseDockerInspect(
  text: string,
  file: string,
): { containers: ContainerFacts[]; problems: InspectProblem[] } {
  let json: unknown;
  try {
    json = parseBoundedJson(text);
  } catch (error) {
    const reason = error instanceof NestingLimitError ? error.message : `not JSON: ${(error as Error).message}`;
    return { containers: [], problems: [{ file, reason }] };
  }
  const items = Array.isArray(json) ? json : [json];
  const containers: ContainerFacts[] = [];
  const problems: InspectProblem[] = [];
  items.forEach((item, index) => {
    const parsed = containerFromInspect(item);
    if ('reason' in parsed)
      problems.push({ file, field: `[${index}]${parsed.field ? `.${parsed.field}` : ''}`, reason: parsed.reason });
    else containers.push(parsed);
  });
  // Not one container in it: the file as a whole is not `docker inspect` output (a problem without a field).
  if (containers.length === 0 && problems[0])
    return {
      containers,
      problems: [{ file, reason: `no container in it (${problems[0].field}: ${problems[0].reason})` }],
    };
  return { containers, problems };
}
