/**
 * Percent-encoding is the only escaping in a reference. Decoding validates every
 * escape (two hex digits, UTF-8 bytes); encoding keeps RFC 3986 unreserved characters
 * and the sub-delimiters each part allows, so canonical strings stay readable.
 */
const UNRESERVED = /[A-Za-z0-9\-._~]/;
/** Characters that stay literal in a locator segment besides the unreserved ones. */
export const SEGMENT_EXTRA = "!$&'()*+,;=:";
/** In query values and selectors `&`, `=`, `+` and `#` would be ambiguous. */
export const VALUE_EXTRA = "!$'()*,;:@/";
/** Never allowed raw anywhere: a reference must survive shells, env files and templates. */
const FORBIDDEN_PRINTABLE = /[\s"<>\\^`{|}]/;
export const isForbiddenRaw = (char: string): boolean => {
  const code = char.charCodeAt(0);
  return code < 0x20 || code === 0x7f || FORBIDDEN_PRINTABLE.test(char);
};

export type DecodeResult = { ok: true; text: string } | { ok: false; offset: number; reason: string };

export const percentDecode = (raw: string): DecodeResult => {
  const bytes: number[] = [];
  for (let index = 0; index < raw.length; index += 1) {
    const char = raw.charAt(index);
    if (isForbiddenRaw(char)) {
      return { ok: false, offset: index, reason: `character ${JSON.stringify(char)} must be percent-encoded` };
    }
    if (char !== '%') {
      bytes.push(...Buffer.from(char, 'utf8'));
      continue;
    }
    const hex = raw.slice(index + 1, index + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) {
      return { ok: false, offset: index, reason: '"%" must be followed by two hexadecimal digits' };
    }
    bytes.push(Number.parseInt(hex, 16));
    index += 2;
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes)) };
  } catch {
    return { ok: false, offset: 0, reason: 'percent-encoded bytes are not valid UTF-8' };
  }
};

export const percentEncode = (text: string, extra: string): string => {
  let out = '';
  for (const char of text) {
    if (UNRESERVED.test(char) || extra.includes(char)) {
      out += char;
      continue;
    }
    for (const byte of Buffer.from(char, 'utf8')) {
      out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
};
