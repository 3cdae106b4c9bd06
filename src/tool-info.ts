import { readFileSync } from 'node:fs';

interface PackageJson {
  name: string;
  version: string;
}

/** Set by the bundler (scripts/release/bundle.mjs), where no package.json travels beside the code. */
declare const GMSA_DOCTOR_PACKAGE: PackageJson | undefined;

// Resolved from both src/ (tests) and dist/ (installed): package.json is one level up in each.
const pkg: PackageJson =
  typeof GMSA_DOCTOR_PACKAGE === 'object'
    ? GMSA_DOCTOR_PACKAGE
    : (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as PackageJson);

export const TOOL_NAME = pkg.name;
export const TOOL_VERSION = pkg.version;
export const TOOL_URI = 'https://github.com/gmsa-doctor/gmsa-doctor';
