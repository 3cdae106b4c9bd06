/** Credential spec documents as parsed from the given files (JSON, or GMSACredentialSpec YAML), and Docker's option. */
import { z } from 'zod';

export const position = z.object({ line: z.number().int().positive(), column: z.number().int().positive() });
export type Position = z.infer<typeof position>;

/** A structural problem the parser saw (duplicate keys, glued resources), judged by the rules. */
export const parseNote = z.object({
  kind: z.enum(['duplicate-key', 'glued-documents']),
  message: z.string(),
  field: z.string(),
  position,
});
export type ParseNote = z.infer<typeof parseNote>;

/** One credential spec found in a file: a JSON file holds one, a YAML file may hold several resources. */
export const credspecDocument = z.object({
  file: z.string(),
  format: z.enum(['json', 'yaml']),
  /** 0-based index of the document within a multi-document YAML file. */
  index: z.number().int().nonnegative(),
  /** The credential spec itself (for a Kubernetes resource, its `credspec` value), as parsed: unknown shape. */
  spec: z.unknown(),
  /** Present when the document is a Kubernetes GMSACredentialSpec resource (or tried to be one). */
  k8s: z
    .object({
      apiVersion: z.unknown(),
      kind: z.unknown(),
      name: z.unknown(),
      /** Size of the resource's source text in bytes. */
      sizeBytes: z.number().int().nonnegative(),
    })
    .optional(),
  /** Field path of the credential spec inside the document: '' for a JSON file, 'credspec' for a resource. */
  specPath: z.string(),
  /** Line and column (1-based) of each value, by field path (`DomainJoinConfig.Sid`, `credspec.CmsPlugins[0]`). */
  positions: z.record(z.string(), position),
  notes: z.array(parseNote),
});
export type CredSpecDocument = z.infer<typeof credspecDocument>;
export type SourceFormat = CredSpecDocument['format'];

/** A file that was given but could not be read or parsed at all (not a credential spec problem). */
export const credspecReadError = z.object({
  file: z.string(),
  /**
   * Input errors (exit code 2, not judged): missing or unreadable (not a regular file, permission denied), limit
   * (over a size, nesting or alias bound), not-credspec (the file is something else: text, a .reg export).
   * Findings: syntax (a spec that does not parse), empty (no spec in it).
   */
  kind: z.enum(['missing', 'unreadable', 'limit', 'not-credspec', 'syntax', 'empty']),
  reason: z.string(),
  position: position.optional(),
});
export type CredSpecReadError = z.infer<typeof credspecReadError>;

/** A read error that stops the file from being judged at all: an input error of the run, not a finding. */
export function isCredSpecInputError(error: Pick<CredSpecReadError, 'kind'>): boolean {
  return error.kind !== 'syntax' && error.kind !== 'empty';
}

/** A `--security-opt credentialspec=...` value as Docker would resolve it on the host. */
export const securityOptFact = z.object({
  option: z.string(),
  /** Where a file:// spec resolves, when the Docker root directory is known. */
  resolvedPath: z.string().optional(),
  exists: z.boolean().optional(),
});
export type SecurityOptFact = z.infer<typeof securityOptFact>;
