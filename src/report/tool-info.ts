import { readFileSync } from 'node:fs';

interface PackageJson {
  name: string;
  version: string;
}

// Resolved from both src/ (tests) and dist/ (installed): package.json is two levels up in each.
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as PackageJson;

export const TOOL_NAME = pkg.name;
export const TOOL_VERSION = pkg.version;
export const TOOL_URI = 'https://github.com/gmsa-doctor/gmsa-doctor';
