/**
 * UTF-8 text to base64, for Secret `stringData` (the core may not use `Buffer`, and `btoa` takes
 * only Latin-1).
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function utf8(text: string): number[] {
  const bytes: number[] = [];
  for (const char of text) {
    const point = char.codePointAt(0)!;
    // A lone surrogate becomes U+FFFD, as TextEncoder and Buffer encode it.
    const code = point >= 0xd800 && point <= 0xdfff ? 0xfffd : point;
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000)
      bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else {
      bytes.push(
        0xf0 | (code >> 18),
        0x80 | ((code >> 12) & 0x3f),
        0x80 | ((code >> 6) & 0x3f),
        0x80 | (code & 0x3f),
      );
    }
  }
  return bytes;
}

/** @example encodeBase64('héllo') // 'aMOpbGxv' */
export function encodeBase64(text: string): string {
  const bytes = utf8(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a = 0, b = 0, c = 0] = bytes.slice(i, i + 3);
    const chunk = (a << 16) | (b << 8) | c;
    const left = bytes.length - i;
    out += ALPHABET[(chunk >> 18) & 63]! + ALPHABET[(chunk >> 12) & 63]!;
    out += left > 1 ? ALPHABET[(chunk >> 6) & 63]! : '=';
    out += left > 2 ? ALPHABET[chunk & 63]! : '=';
  }
  return out;
}

/**
 * Base64 (standard alphabet, padding optional, whitespace ignored) to text, reading each byte as
 * Latin-1: enough to look at PEM armour, which is ASCII. Undefined when the text is not base64.
 *
 * @example decodeBase64Latin1('aGk=') // 'hi'
 */
export function decodeBase64Latin1(text: string): string | undefined {
  const clean = text.replace(/[\s]+/g, '').replace(/=+$/, '');
  if (clean.length % 4 === 1) return undefined;
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    const value = ALPHABET.indexOf(char);
    if (value < 0) return undefined;
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((buffer >> bits) & 0xff);
    }
  }
  return out;
}
