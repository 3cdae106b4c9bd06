import { documentCheck } from './_document.js';
import { findPlaceholder } from '../../credspec/values.js';
import { resourceError } from './_document.js';
import type { Diagnostic } from './_document.js';

/** Custom resource names are lowercase RFC 1123 subdomains. */
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_RESOURCE_BYTES = 64 * 1024;

export default documentCheck({
  id: 'credspec/k8s-resource',
  title: 'GMSACredentialSpec resource is well-formed',
  looksAt:
    'apiVersion windows.k8s.io/v1, kind GMSACredentialSpec, a lowercase DNS-1123 metadata.name, a credspec key, size under 64 KiB.',
  why: 'The API server and the windows-gmsa webhook reject a resource that breaks these rules, and pods that name it are refused.',
  remediation:
    'Use apiVersion: windows.k8s.io/v1, kind: GMSACredentialSpec, a lowercase name, and the credential spec under credspec:.',
  check(doc) {
    if (!doc.k8s) return [];
    const out: Diagnostic[] = [];
    const { apiVersion, kind, name, sizeBytes } = doc.k8s;
    if (apiVersion === 'windows.k8s.io/v1alpha1') {
      out.push({
        severity: 'warning',
        field: 'apiVersion',
        message: 'apiVersion windows.k8s.io/v1alpha1 is deprecated; use windows.k8s.io/v1',
        documentField: true,
      });
    } else if (apiVersion !== 'windows.k8s.io/v1') {
      out.push(
        resourceError(
          'apiVersion',
          `apiVersion is ${JSON.stringify(apiVersion)}; a GMSACredentialSpec is windows.k8s.io/v1`,
        ),
      );
    }
    if (kind !== 'GMSACredentialSpec')
      out.push(
        resourceError('kind', `kind is ${JSON.stringify(kind)}; it must be GMSACredentialSpec (case-sensitive)`),
      );
    if (typeof name !== 'string' || name === '') out.push(resourceError('metadata', 'metadata.name is missing'));
    else if (!findPlaceholder(name) && (!DNS1123_SUBDOMAIN.test(name) || name.length > 253)) {
      const lower = name.toLowerCase();
      out.push(
        resourceError(
          'metadata.name',
          `metadata.name "${name}" is not a lowercase DNS-1123 subdomain${name !== lower ? ': the API server rejects uppercase letters' : ''}`,
          `Rename it to "${lower.replace(/[^a-z0-9.-]/g, '-')}", and use that exact name in the pods' gmsaCredentialSpecName and in the RBAC role's resourceNames.`,
        ),
      );
    }
    if (doc.spec === undefined || doc.spec === null)
      out.push(resourceError('', 'the resource has no credspec key holding the credential spec'));
    if (sizeBytes > MAX_RESOURCE_BYTES)
      out.push(resourceError('', `the resource is ${sizeBytes} bytes; keep it under 64 KiB`));
    return out;
  },
});
