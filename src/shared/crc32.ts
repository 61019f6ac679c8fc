/**
 * CRC-32 in the two common polynomials. Scaleway documents `data_crc32` without naming
 * the polynomial, so payloads are checked against IEEE (zlib) and Castagnoli (CRC-32C).
 */
const buildTable = (reversedPolynomial: number): Uint32Array => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) {
      c = c & 1 ? reversedPolynomial ^ (c >>> 1) : c >>> 1;
    }
    table[n] = c >>> 0;
  }
  return table;
};

const IEEE = buildTable(0xedb88320);
const CASTAGNOLI = buildTable(0x82f63b78);

const checksum = (table: Uint32Array, bytes: Uint8Array): number => {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc = (table[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
};

export const crc32Ieee = (bytes: Uint8Array): number => checksum(IEEE, bytes);
export const crc32c = (bytes: Uint8Array): number => checksum(CASTAGNOLI, bytes);

/** Which polynomial gives `expected` for `bytes`, or null when neither does. */
export const matchingCrc32 = (bytes: Uint8Array, expected: number): 'crc32' | 'crc32c' | null =>
  crc32Ieee(bytes) === expected ? 'crc32' : crc32c(bytes) === expected ? 'crc32c' : null;
