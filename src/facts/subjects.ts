/**
 * What a fact can be about. A fact about one subject (a gMSA, a container) is keyed by the subject's kind and id;
 * the other facts are about the run as a whole (the host, the network, the files given).
 */
export type SubjectKind = 'gmsa' | 'computer' | 'container' | 'credspec' | 'dc' | 'pod' | 'node';

interface SubjectKindInfo {
  title: string;
  /** The fact whose value's `name` names a subject of this kind in findings (else its id). */
  namedBy?: string;
}

export const SUBJECT_KINDS: Record<SubjectKind, SubjectKindInfo> = {
  gmsa: { title: 'gMSA' },
  computer: { title: 'computer' },
  /** A container's findings show its name, from its inspect data. */
  container: { title: 'container', namedBy: 'container.inspect' },
  credspec: { title: 'credential spec' },
  dc: { title: 'domain controller' },
  pod: { title: 'pod' },
  node: { title: 'node' },
};

export interface Subject {
  kind: SubjectKind;
  /** Stable within its kind: the bare gMSA name in lower case, the container id, the pod's namespace/name... */
  id: string;
}

export function isSubjectKind(value: string): value is SubjectKind {
  return Object.hasOwn(SUBJECT_KINDS, value);
}

/** A gMSA subject: the SAM account name without the trailing $, in lower case (AD compares names without case). */
export function gmsaSubject(name: string): Subject {
  return { kind: 'gmsa', id: name.trim().replace(/\$$/, '').toLowerCase() };
}

export function containerSubject(id: string): Subject {
  return { kind: 'container', id };
}

/** `gmsa webapp01`, `container 1be91944c46e`: for messages. */
export function subjectText(subject: Subject): string {
  const id = subject.kind === 'container' && subject.id.length > 12 ? subject.id.slice(0, 12) : subject.id;
  return `${SUBJECT_KINDS[subject.kind].title} ${id}`;
}
