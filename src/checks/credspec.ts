import type { Check } from '../engine/check.js';
import type { FactReader } from '../engine/facts.js';
import type { FindingDraft, SourceLocation } from '../engine/finding.js';
import { fieldPath } from '../credspec/positions.js';
import type { Diagnostic, Rule } from '../credspec/rule.js';
import { CREDSPEC_CONTENT_RULES } from '../credspec/rules.js';
import { CREDSPEC_K8S_RULES } from '../credspec/rules-k8s.js';
import { checkLocation, checkSecurityOpts } from '../credspec/placement.js';
import type { CredSpecDocument } from '../facts/credspec.js';

export function documentLabel(doc: CredSpecDocument): string {
  const name = typeof doc.k8s?.name === 'string' ? ` (${doc.k8s.name})` : '';
  return doc.format === 'yaml' ? `${doc.file}#${doc.index}${name}` : doc.file;
}

function fullField(doc: CredSpecDocument, diagnostic: Diagnostic): string {
  if (diagnostic.documentField || !doc.specPath) return diagnostic.field;
  return diagnostic.field ? fieldPath(doc.specPath, diagnostic.field) : doc.specPath;
}

function parentField(path: string): string {
  const up = path.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
  return up === path ? '' : up;
}

/** The position of a field, or of its nearest parent that has one. */
function locate(doc: CredSpecDocument, field: string): SourceLocation {
  let path = field;
  while (path !== '' && !(path in doc.positions)) path = parentField(path);
  const pos = doc.positions[path] ?? { line: 1, column: 1 };
  return { file: doc.file, line: pos.line, column: pos.column, ...(field ? { field } : {}) };
}

export function diagnosticToDraft(doc: CredSpecDocument, d: Diagnostic): FindingDraft {
  const field = fullField(doc, d);
  return {
    severity: d.severity,
    message: d.message,
    subject: documentLabel(doc),
    location: d.position ? { file: doc.file, ...d.position, ...(field ? { field } : {}) } : locate(doc, field),
    ...(d.evidence ? { evidence: d.evidence } : {}),
    ...(d.remediation ? { remediation: d.remediation } : {}),
  };
}

function ruleCheck(rule: Rule): Check {
  return {
    meta: { id: `credspec/${rule.slug}`, title: rule.title, section: 'credspec', looksAt: rule.looksAt, why: rule.why, remediation: rule.remediation },
    needs: ['credspec.documents'],
    run(facts: FactReader) {
      const documents = facts.get('credspec.documents');
      const drafts = documents.flatMap((doc) => rule.check(doc).map((d) => diagnosticToDraft(doc, d)));
      if (drafts.length > 0 || documents.length === 0) return drafts;
      return [{ severity: 'pass', message: `${rule.title}: ${documents.length} credential spec${documents.length === 1 ? '' : 's'} checked.` }];
    },
  };
}

const readable: Check = {
  meta: {
    id: 'credspec/readable',
    title: 'Credential spec files are readable JSON or YAML',
    section: 'credspec',
    looksAt: 'Each given file: that it exists, is text (UTF-8, UTF-8 with BOM, UTF-16 from PowerShell Out-File) and parses as JSON or YAML; syntax errors are given with line and column.',
    why: 'CCG cannot read a credential spec it cannot parse (CCG event 3), and Docker refuses to start a container whose file:// spec is missing.',
    remediation: 'Fix the syntax at the position shown, or regenerate the spec with New-CredentialSpec or `gmsa-doctor credspec new`.',
  },
  needs: ['credspec.readErrors'],
  run(facts) {
    const errors = facts.get('credspec.readErrors');
    if (errors.length === 0) return [{ severity: 'pass', message: 'Every credential spec file was read and parsed.' }];
    return errors.map((e) => ({
      severity: e.kind === 'empty' ? 'warning' : 'error',
      message: e.reason,
      subject: e.file,
      location: { file: e.file, ...(e.position ? { line: e.position.line, column: e.position.column } : {}) },
    }));
  },
};

export const credspecLocationCheck: Check = {
  meta: {
    id: 'credspec/location',
    title: 'Credential specs lie in <DockerRootDir>\\CredentialSpecs',
    section: 'credspec',
    looksAt: 'The folder of each credential spec file against the CredentialSpecs folder of the Docker root directory (--docker-root, or docker info).',
    why: 'Docker resolves credentialspec=file://NAME.json only inside <DockerRootDir>\\CredentialSpecs; a spec anywhere else is never found.',
    remediation: 'Move the file into <DockerRootDir>\\CredentialSpecs and refer to it by its bare file name.',
  },
  needs: ['credspec.documents', 'docker.rootDir'],
  run: (facts) => checkLocation(facts.get('credspec.documents'), facts.get('docker.rootDir')),
};

export const securityOptCheck: Check = {
  meta: {
    id: 'credspec/security-opt',
    title: 'The --security-opt credentialspec value is one Docker accepts',
    section: 'credspec',
    looksAt: 'The credentialspec= security option as Docker parses it: file:// (relative to CredentialSpecs, never absolute), registry://, config://, raw://.',
    why: 'Docker refuses to create the container when the option is malformed or its file is missing.',
    remediation: 'Use --security-opt "credentialspec=file://NAME.json" with NAME.json in <DockerRootDir>\\CredentialSpecs.',
  },
  needs: ['credspec.securityOpts'],
  run: (facts) => checkSecurityOpts(facts.get('credspec.securityOpts')),
};

/** The checks that judge the documents alone, with no Docker or host facts: what `credspec lint` runs on files. */
export const CREDSPEC_DOCUMENT_CHECKS: readonly Check[] = [readable, ...CREDSPEC_CONTENT_RULES.map(ruleCheck), ...CREDSPEC_K8S_RULES.map(ruleCheck)];

export const CREDSPEC_CHECKS: readonly Check[] = [...CREDSPEC_DOCUMENT_CHECKS, credspecLocationCheck, securityOptCheck];
