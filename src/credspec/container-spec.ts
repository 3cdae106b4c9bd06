/**
 * The credential spec a container runs with, whoever started it: Docker names a file
 * (`--security-opt credentialspec=file://NAME.json`, resolved in <DockerRootDir>\CredentialSpecs), containerd is
 * handed the contents themselves (the kubelet passes the pod's gmsaCredentialSpec through the CRI). The one reader
 * of that question for checks, probes and discovery.
 */
import type { ContainerFacts } from '../facts/docker.js';
import { specDocumentFor } from './security-opt.js';

type SpecSource = Pick<ContainerFacts, 'credentialSpecOption' | 'credentialSpec' | 'credentialSpecProblem'>;

/** Whether the container was started with a credential spec at all (a Docker option, or CRI contents). */
export function usesCredentialSpec(container: SpecSource): boolean {
  return (
    container.credentialSpecOption !== undefined ||
    container.credentialSpec !== undefined ||
    container.credentialSpecProblem !== undefined
  );
}

/** Contents handed to the runtime inline (containerd's CRI), rather than named as a file. */
export function hasInlineSpec(container: SpecSource): boolean {
  return container.credentialSpec !== undefined || container.credentialSpecProblem !== undefined;
}

/** The contents of the spec the container runs with: inline, or the document its file:// option names. */
export function credentialSpecOf<D extends { file: string; spec: unknown }>(
  container: SpecSource,
  documents: readonly D[],
): unknown {
  if (container.credentialSpec !== undefined) return container.credentialSpec;
  return specDocumentFor(container, documents)?.spec;
}

/** How the container names its spec, for messages: the Docker option, or "the credential spec passed by the CRI". */
export function specSourceText(container: SpecSource): string {
  return container.credentialSpecOption ?? "the credential spec passed through the CRI (the pod's gmsaCredentialSpec)";
}
