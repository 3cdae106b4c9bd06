// Removes the Authenticode signature of a PE file (what signtool remove /s does): injecting the SEA blob breaks
// node.exe's signature, and a broken one is worse than none. Pure on a Buffer; returns a new Buffer.
const CERTIFICATE_TABLE = 4;

export function peLayout(image) {
  if (image.readUInt16LE(0) !== 0x5a4d) throw new Error('not a PE file: no MZ header');
  const pe = image.readUInt32LE(0x3c);
  if (image.readUInt32LE(pe) !== 0x00004550) throw new Error('not a PE file: no PE signature');
  const optional = pe + 24;
  const magic = image.readUInt16LE(optional);
  if (magic !== 0x20b && magic !== 0x10b) throw new Error(`unknown optional header magic 0x${magic.toString(16)}`);
  const directories = optional + (magic === 0x20b ? 112 : 96);
  const entry = directories + CERTIFICATE_TABLE * 8;
  return {
    checksumOffset: optional + 64,
    certificateEntry: entry,
    certificate: { offset: image.readUInt32LE(entry), size: image.readUInt32LE(entry + 4) },
  };
}

export function stripSignature(image) {
  const { checksumOffset, certificateEntry, certificate } = peLayout(image);
  if (certificate.size === 0) return Buffer.from(image);
  if (certificate.offset + certificate.size !== image.length)
    throw new Error('the certificate table is not at the end of the file');
  const stripped = Buffer.from(image.subarray(0, certificate.offset));
  stripped.writeUInt32LE(0, certificateEntry);
  stripped.writeUInt32LE(0, certificateEntry + 4);
  stripped.writeUInt32LE(0, checksumOffset); // optional for executables; recomputed by a signer
  return stripped;
}
