#!/usr/bin/env node
// Writes DIR/SHA256SUMS over every file in DIR (the format `sha256sum -c` reads).
// Usage: node scripts/release/checksums.mjs DIR
import { fileURLToPath } from 'node:url';
import { writeChecksums } from './build-exe.mjs';

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node scripts/release/checksums.mjs DIR');
    process.exit(2);
  }
  writeChecksums(dir);
}
