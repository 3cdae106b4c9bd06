import { X509Certificate } from 'node:crypto';
import { INPUT_LIMITS, readInputText } from '../probes/input-file.js';
import { readNamedFile, UsageError } from './output.js';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * The certificates of --ca, read once before the run: an unreadable file, or one without a PEM certificate, would
 * otherwise surface as an untrusted DC certificate, a cause in the user's infrastructure. Exit code 2 instead.
 */
export function readCaFile(file: string): X509Certificate[] {
  const text = readNamedFile(() => readInputText(file, INPUT_LIMITS.ca), '--ca');
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0)
    throw new UsageError(
      `--ca ${file}: no PEM certificate in it (-----BEGIN CERTIFICATE----- ...); give the CA that issued the DC's certificate, as PEM`,
    );
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch (error) {
      throw new UsageError(`--ca ${file}: certificate ${i + 1} cannot be read (${(error as Error).message})`);
    }
  });
}
