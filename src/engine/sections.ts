/**
 * The sections of Microsoft's "Troubleshoot gMSAs for Windows containers" guide, in the guide's order.
 * Every check belongs to one; text reports are grouped by them.
 */
export const SECTIONS = {
  'known-issues': { title: 'Known issues', anchor: '#known-issues' },
  'host-domain-joined': {
    title: 'Domain joined hosts: make sure the host can use the gMSA',
    anchor: '#domain-joined-hosts-make-sure-the-host-can-use-the-gmsa',
  },
  'host-non-domain-joined': {
    title: 'Non-domain-joined hosts: make sure the host is configured to retrieve the gMSA account',
    anchor: '#non-domain-joined-hosts-make-sure-the-host-is-configured-to-retrieve-the-gmsa-account',
  },
  credspec: { title: 'Check the Credential Spec file', anchor: '#check-the-credential-spec-file' },
  network: { title: 'Check the network configuration', anchor: '#check-the-network-configuration' },
  container: { title: 'Check the container', anchor: '#check-the-container' },
  account: { title: 'Check the gMSA account', anchor: '#check-the-gmsa-account' },
  events: {
    title: 'Non-domain-joined container hosts: use event logs to identify configuration issues',
    anchor: '#non-domain-joined-container-hosts-use-event-logs-to-identify-configuration-issues',
  },
  kubernetes: { title: 'Kubernetes', anchor: '' },
} as const;

export type SectionId = keyof typeof SECTIONS;

export const SECTION_ORDER = Object.keys(SECTIONS) as SectionId[];

export const SPEC_URL =
  'https://learn.microsoft.com/virtualization/windowscontainers/manage-containers/gmsa-troubleshooting';

export function sectionDocs(section: SectionId): string {
  return SPEC_URL + SECTIONS[section].anchor;
}
