/**
 * `docker inspect` output: the whole document (an array of container objects), or the fragment users paste from it,
 * `"SecurityOpt": [ "credentialspec=file://x.json" ],`, `"SecurityOpt": null`, `"HostConfig": { ... }`.
 */
import { parse, type ParseError } from 'jsonc-parser';
import { containerFromInspect } from '../../protocol/parsers/docker-inspect.js';
import type { ContainerFacts, InspectProblem } from '../../facts/docker.js';
import type { NormalisedLine } from '../normalise.js';
import type { Block } from '../segment.js';
import type { DockerInspectData } from '../types.js';
import { compact, makeItem, type Recognition } from '../item.js';
import { depthChange, jsonBlock } from './json.js';

/** The keys of an inspect document a fragment is read for. */
const FRAGMENT_KEYS = new Set([
  'SecurityOpt',
  'HostConfig',
  'Config',
  'Hostname',
  'Isolation',
  'User',
  'State',
  'Id',
  'Name',
  'Image',
  'Platform',
]);
const MEMBER = /^\s*"([A-Za-z][\w.-]{0,60})"\s*:\s*(.*)$/;
const MAX_FRAGMENT_LINES = 400;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fromDocument(value: unknown): { containers: ContainerFacts[]; problems: InspectProblem[] } | undefined {
  const list = Array.isArray(value) ? value : [value];
  if (!list.some((v) => isObject(v) && typeof v.Id === 'string' && (isObject(v.HostConfig) || isObject(v.Config))))
    return undefined;
  const containers: ContainerFacts[] = [];
  const problems: InspectProblem[] = [];
  list.forEach((item, index) => {
    const parsed = containerFromInspect(item);
    if ('reason' in parsed)
      problems.push({
        file: 'paste',
        field: `[${index}]${parsed.field ? `.${parsed.field}` : ''}`,
        reason: parsed.reason,
      });
    else containers.push(parsed);
  });
  return { containers, problems };
}

/** A run of `"Key": value` members, each closed, read as the members of one object. */
function fragments(lines: readonly NormalisedLine[]): { value: Record<string, unknown>; lines: NormalisedLine[] }[] {
  const found: { value: Record<string, unknown>; lines: NormalisedLine[] }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const member = MEMBER.exec(lines[i]!.text);
    if (!member?.[1] || !FRAGMENT_KEYS.has(member[1])) continue;
    const run: NormalisedLine[] = [];
    let depth = 0;
    let j = i;
    for (; j < lines.length && j - i < MAX_FRAGMENT_LINES; j++) {
      const text = lines[j]!.text;
      if (depth === 0 && run.length > 0 && !MEMBER.test(text)) break;
      run.push(lines[j]!);
      depth += depthChange(text);
      if (depth < 0) break;
    }
    const errors: ParseError[] = [];
    const value: unknown = parse(
      `{${run
        .map((l) => l.text)
        .join('\n')
        .replace(/,\s*$/, '')}}`,
      errors,
      { allowTrailingComma: true },
    );
    if (errors.length === 0 && isObject(value)) found.push({ value, lines: run });
    // A run that does not parse is not read again from a later line: bounded work per line.
    i = Math.max(i, j - 1);
  }
  return found;
}

function fragmentData(value: Record<string, unknown>): DockerInspectData {
  const host = isObject(value.HostConfig) ? value.HostConfig : value;
  const config = isObject(value.Config) ? value.Config : value;
  const rawOpt = 'SecurityOpt' in host ? host.SecurityOpt : undefined;
  const securityOpt =
    rawOpt === null
      ? null
      : Array.isArray(rawOpt)
        ? rawOpt.filter((o): o is string => typeof o === 'string')
        : undefined;
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return compact<DockerInspectData>({
    form: 'fragment',
    containers: [],
    problems: [],
    fields: Object.keys(value),
    securityOpt,
    credentialSpecOption: securityOpt?.find((o) => /^credentialspec[=:]/i.test(o.trim())),
    hostname: str(config.Hostname),
    isolation: str(host.Isolation),
    user: str(config.User),
  });
}

export function recogniseDockerInspect(block: Block): Recognition {
  const json = jsonBlock(block.lines);
  const document = json ? fromDocument(json.value) : undefined;
  if (json && document) {
    const quote = json.lines
      .filter((l) => /"(?:Id|SecurityOpt|Hostname|Isolation|Error)"\s*:/.test(l.text))
      .slice(0, 50);
    const data: DockerInspectData = { form: 'document', ...document, fields: [] };
    return {
      items: [
        makeItem('docker-inspect', quote.length > 0 ? quote : json.lines.slice(0, 1), data, { extent: json.lines }),
      ],
      read: json.lines,
    };
  }
  const items: Recognition['items'] = [];
  const read: NormalisedLine[] = [];
  // A fragment is part of a document that is not itself there; members of a whole JSON document are not fragments.
  const inDocument = new Set(json?.lines ?? []);
  for (const fragment of fragments(block.lines.filter((l) => !inDocument.has(l)))) {
    const data = fragmentData(fragment.value);
    const quote = fragment.lines.filter((l) =>
      /"SecurityOpt"|credentialspec|"Hostname"|"Isolation"|"User"/i.test(l.text),
    );
    items.push(
      makeItem('docker-inspect', quote.length > 0 ? quote : fragment.lines.slice(0, 1), data, {
        extent: fragment.lines,
      }),
    );
    for (const entry of fragment.lines) read.push(entry);
  }
  return { items, read };
}
