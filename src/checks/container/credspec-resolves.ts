import { hasInlineSpec } from '../../credspec/container-spec.js';
import { credspecIdentity } from '../../credspec/identity.js';
import { isObject } from '../../credspec/values.js';
import { credentialSpecFileOf, parseCredentialSpecOption, specDocumentFor } from '../../credspec/security-opt.js';
import { defineCheck } from '../../engine/check.js';
import type { FactReader } from '../../engine/facts.js';
import type { FindingDraft } from '../../engine/finding.js';
import type { CredSpecDocument } from '../../facts/credspec.js';
import type { ContainerFacts } from '../../facts/docker.js';
import { linuxSkip, none, pastedSkip, containerText } from './_container.js';

type SpecFacts = FactReader<
  'host.credentialSpecs' | 'credspec.documents' | 'credspec.readErrors' | 'credspec.securityOpts'
>;

/** Whether the spec the container names is known to exist, from the best evidence there is. */
function specState(
  c: ContainerFacts,
  facts: SpecFacts,
): { document?: CredSpecDocument; missing: boolean; known: boolean } {
  const document = specDocumentFor(c, facts.optional('credspec.documents') ?? []);
  if (document) return { document, missing: false, known: true };
  const wanted = credentialSpecFileOf(c)?.toLowerCase();
  const folder = facts.optional('host.credentialSpecs');
  if (folder) return { missing: !folder.files.some((f) => f.toLowerCase() === wanted), known: true };
  const opt = (facts.optional('credspec.securityOpts') ?? []).find((o) => o.option === c.credentialSpecOption);
  if (opt?.exists !== undefined) return { missing: !opt.exists, known: true };
  const readError = (facts.optional('credspec.readErrors') ?? []).find(
    (e) => e.kind === 'missing' && (e.file.split(/[\\/]/).pop() ?? '').toLowerCase() === wanted,
  );
  if (readError) return { missing: true, known: true };
  return { missing: false, known: false };
}

/**
 * containerd is handed the spec's contents (the pod's gmsaCredentialSpec, filled in by the windows-gmsa webhook from
 * the GMSACredentialSpec): nothing to resolve, but contents that are not JSON or name no account reach CCG as they are.
 */
function inlineSpec(c: ContainerFacts): FindingDraft[] {
  if (c.credentialSpecProblem !== undefined)
    return [{ severity: 'error', subject: c.name, message: `${containerText(c)}: ${c.credentialSpecProblem}.` }];
  const identity = credspecIdentity(c.credentialSpec);
  if (!isObject(c.credentialSpec) || Object.keys(c.credentialSpec).length === 0 || !identity.gmsa)
    return [
      {
        severity: 'error',
        subject: c.name,
        message: `${containerText(c)} was given a credential spec that names no gMSA (${JSON.stringify(c.credentialSpec)}): the GMSACredentialSpec's contents were lost before they reached the pod, typically pruned by a CRD whose schema does not list the credspec fields (windows-gmsa#31); the container then fails with STATUS_INVALID_PARAMETER.`,
        evidence: { credentialSpec: c.credentialSpec, ...(c.pod ? { pod: `${c.pod.namespace}/${c.pod.name}` } : {}) },
        remediation: {
          text: 'Compare the stored GMSACredentialSpec with what you applied; if its credspec is empty, upgrade the windows-gmsa CRD (Helm does not upgrade files under crds/), re-apply the GMSACredentialSpec and recreate the pod.',
          commands: [
            'kubectl get gmsacredentialspecs -o yaml',
            'kubectl get crd gmsacredentialspecs.windows.k8s.io -o yaml',
          ],
        },
      },
    ];
  return [
    {
      severity: 'pass',
      subject: c.name,
      message: `${containerText(c)} was given its credential spec's contents through the CRI (gMSA ${identity.gmsa}).`,
    },
  ];
}

export default defineCheck({
  meta: {
    id: 'container/credspec-resolves',
    title: "The container's credential spec option resolves to an existing, readable spec",
    section: 'container',
    link: 'credspec',
    fault: 'credspec-not-found',
    looksAt:
      'The credentialspec= security option as Docker parses it, the files in <DockerRootDir>\\CredentialSpecs and the parsed credential specs.',
    why: 'Docker refuses to start a container whose file:// spec is missing; a spec that exists but is wrong gives a container without identity.',
    remediation:
      'Put NAME.json in <DockerRootDir>\\CredentialSpecs (New-CredentialSpec) and name it exactly in --security-opt.',
  },
  subject: 'container',
  needs: ['container.inspect'],
  uses: ['host.credentialSpecs', 'credspec.documents', 'credspec.readErrors', 'credspec.securityOpts'],
  run(facts): FindingDraft[] {
    const c = facts.get('container.inspect');
    const linux = linuxSkip(c);
    if (linux) return linux;
    const pasted = pastedSkip(c, `the credential spec option ${c.name} was started with`);
    if (pasted) return pasted;
    if (hasInlineSpec(c)) return inlineSpec(c);
    const option = c.credentialSpecOption;
    if (option === undefined) return none(`${c.name} names no credential spec (see container/credspec-applied)`);
    const verdict = parseCredentialSpecOption(option);
    if (!verdict.ok)
      return [
        { severity: 'error', subject: c.name, message: `${containerText(c)}: ${verdict.reason}`, evidence: { option } },
      ];
    if (verdict.scheme !== 'file')
      return [
        {
          severity: 'info',
          subject: c.name,
          message: `${containerText(c)} reads its spec from ${verdict.scheme}:// (not a file, not checked here).`,
        },
      ];
    const state = specState(c, facts);
    const folder = facts.optional('host.credentialSpecs')?.dir ?? '<DockerRootDir>\\CredentialSpecs';
    if (state.missing) {
      return [
        {
          severity: 'error',
          subject: c.name,
          message: `${containerText(c)} names ${verdict.path}, which is not in ${folder}: Docker cannot apply the credential spec.`,
          evidence: { option, folder, files: facts.optional('host.credentialSpecs')?.files },
          remediation: {
            text: 'Create the spec under that name (or fix the name in --security-opt).',
            commands: [
              `New-CredentialSpec -AccountName <gMSA> -Path '${folder}\\${verdict.path}'`,
              'Get-CredentialSpec',
            ],
          },
        },
      ];
    }
    if (!state.known)
      return [
        {
          severity: 'info',
          subject: c.name,
          message: `${containerText(c)} names ${verdict.path}; give --credspec with that file (or run on the host) to check it.`,
        },
      ];
    const gmsa = credspecIdentity(state.document?.spec).gmsa;
    return [
      {
        severity: 'pass',
        subject: c.name,
        message: `${containerText(c)}'s spec ${verdict.path} exists${gmsa ? ` and names gMSA ${gmsa}` : ''}.`,
      },
    ];
  },
});
