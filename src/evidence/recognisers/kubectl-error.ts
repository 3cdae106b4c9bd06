/**
 * kubectl errors of `apply`/`create` that stop a gMSA setup: the CRD is not installed
 * (`no matches for kind "GMSACredentialSpec" in version "windows.k8s.io/v1"`), an API version the cluster does not
 * serve, a field the served version requires (`missing required field "signerName"`), an invalid name
 * (`metadata.name: Invalid value: "gmsa-WebApp1": a lowercase RFC 1123 subdomain must consist of ...`).
 */
import type { NormalisedLine } from '../normalise.js';
import type { Block } from '../segment.js';
import type { KubectlErrorData } from '../types.js';
import { compact, makeItem, type Recognition } from '../item.js';

const FORMS: readonly {
  pattern: RegExp;
  read: (m: RegExpExecArray, text: string) => Omit<KubectlErrorData, 'message'>;
}[] = [
  {
    pattern: /no matches for kind "([^"]{1,200})" in version "([^"]{1,200})"/,
    read: (m, text) =>
      compact({
        problem: 'no-matches-for-kind',
        kind: m[1] ?? '',
        apiVersion: m[2] ?? '',
        source: /unable to recognize "([^"]{1,600})"/.exec(text)?.[1],
      }),
  },
  {
    pattern: /ValidationError\(([\w.[\]]{1,300})\): missing required field "([^"]{1,200})" in ([\w.]{1,300})/,
    read: (m, text) =>
      compact({
        problem: 'missing-required-field',
        kind: (m[1] ?? '').split('.')[0],
        field: `${m[1] ?? ''}.${m[2] ?? ''}`,
        apiVersion: m[3],
        source: /error validating "([^"]{1,600})"/.exec(text)?.[1],
      }),
  },
  {
    pattern: /([\w.[\]]{1,300}): Invalid value: "([^"]{0,600})": (.{1,2000})$/,
    read: (m, text) =>
      compact({
        problem: 'invalid-value',
        kind: /The (\w{1,100}) "[^"]{0,300}" is invalid:/.exec(text)?.[1],
        field: m[1] ?? '',
        value: m[2] ?? '',
      }),
  },
  {
    // A webhook's denial comes in the same frame; the webhook recogniser reads it.
    pattern: /Error from server \((Forbidden|NotFound)\): (?!.{0,600}admission webhook)(.{1,2000})$/,
    read: (m, text) =>
      compact({
        problem: m[1] === 'Forbidden' ? 'forbidden' : 'not-found',
        source: /error when \w+ "([^"]{1,600})"/.exec(text)?.[1],
      }),
  },
];

export function recogniseKubectlError(block: Block): Recognition {
  const items: Recognition['items'] = [];
  const read: NormalisedLine[] = [];
  for (const line of block.lines) {
    if (!/no matches for kind|ValidationError|Invalid value|Error from server/.test(line.text)) continue;
    for (const form of FORMS) {
      const m = form.pattern.exec(line.text);
      if (!m) continue;
      items.push(makeItem('kubectl-error', [line], { ...form.read(m, line.text), message: line.text.trim() }));
      read.push(line);
      break;
    }
  }
  return { items, read };
}
