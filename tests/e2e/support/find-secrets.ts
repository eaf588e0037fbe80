import type { Dumped } from '../lab/lab';

/**
 * Looks for a secret in a storage dump in every way it could have been written: as text, as UTF-8 or UTF-16
 * bytes, and as hex or base64 (at each of the three base64 alignments) inside any string.
 * Returns "<area>: <encoding>" for every hit.
 */
export function findSecret(dump: Record<string, Dumped>, secret: string): string[] {
  const hits: string[] = [];
  const utf8 = Buffer.from(secret, 'utf8');
  const utf16 = Buffer.from(secret, 'utf16le');
  const textForms: [string, string][] = [
    ['text', secret],
    ['hex', utf8.toString('hex')],
    ['HEX', utf8.toString('hex').toUpperCase()],
    ['utf16 hex', utf16.toString('hex')],
    ...base64Forms(utf8).map((form): [string, string] => ['base64', form]),
    ...base64Forms(utf16).map((form): [string, string] => ['utf16 base64', form]),
  ];
  const byteForms: [string, Buffer][] = [
    ['utf8 bytes', utf8],
    ['utf16 bytes', utf16],
  ];
  for (const [area, value] of Object.entries(dump)) {
    walk(value, (leaf) => {
      if (typeof leaf === 'string') {
        for (const [name, form] of textForms) if (leaf.includes(form)) hits.push(`${area}: ${name}`);
        const asBytes = Buffer.from(leaf, 'utf8');
        for (const [name, form] of byteForms) if (asBytes.includes(form)) hits.push(`${area}: ${name}`);
      } else {
        for (const [name, form] of byteForms) if (leaf.includes(form)) hits.push(`${area}: ${name}`);
        // A hex or base64 form written into bytes as ASCII (the plain text is the utf8 bytes above).
        const asText = leaf.toString('latin1');
        for (const [name, form] of textForms)
          if (name !== 'text' && asText.includes(form)) hits.push(`${area}: ${name} in bytes`);
      }
    });
  }
  return [...new Set(hits)];
}

/** The part of a base64 encoding that is the same wherever the secret starts in a longer byte string. */
function base64Forms(bytes: Buffer): string[] {
  const forms: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const encoded = padded.toString('base64').replace(/=+$/, '');
    // Drop characters that depend on the unknown bytes before and after the secret.
    const start = Math.ceil((offset * 4) / 3);
    const end = Math.floor(((offset + bytes.length) * 4) / 3);
    const stable = encoded.slice(start, end);
    if (stable.length >= 4) forms.push(stable, stable.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}

function walk(value: Dumped, visit: (leaf: string | Buffer) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) value.forEach((v) => walk(v, visit));
  else if (value !== null && typeof value === 'object') {
    // `$bytes` is the dump's hex spelling of binary data: search the bytes, never that spelling as text, or a
    // secret made of hex digits ("4921") would be "found" in any ciphertext whose hex happens to contain it.
    if (typeof value.$bytes === 'string') visit(Buffer.from(value.$bytes, 'hex'));
    for (const [key, v] of Object.entries(value)) {
      if (key === '$bytes' && typeof v === 'string') continue;
      visit(key);
      walk(v, visit);
    }
  }
}
