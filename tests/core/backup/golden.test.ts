import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { decryptBackup, inspectBackup, parsePlain } from '../../../src/core/backup';
import { encoding } from '../../../src/core/crypto';
import { argon2idRaw, passwordBytes } from '../../../src/core/crypto/kdf';

// A v1 file written once and committed: whatever changes in the code, files users already exported must
// keep decrypting, and docs/backup-format.md must keep describing them correctly.
const repoRoot = resolve(import.meta.dirname, '../../..');
const read = (path: string) => readFile(resolve(repoRoot, path), 'utf8');
const EXAMPLE_PASSWORD = 'correct horse battery staple';

describe('the committed v1 example backup', async () => {
  const backup = await read('tests/fixtures/crypto/backup-v1-example.spare-backup');
  const plain = parsePlain(await read('tests/fixtures/crypto/backup-v1-example.plain.json'));
  const doc = await read('docs/backup-format.md');

  test('decrypts to the committed plain JSON', async () => {
    expect(await decryptBackup(backup, EXAMPLE_PASSWORD)).toEqual(plain);
    expect(inspectBackup(backup).kdf).toEqual({
      name: 'argon2id',
      memoryKiB: 19456,
      iterations: 2,
      parallelism: 1,
    });
  });

  test('is quoted verbatim in docs/backup-format.md, with the wrapping key the docs give', async () => {
    expect(doc).toContain(backup.trimEnd());
    const salt = encoding.fromBase64((JSON.parse(backup) as { kdf: { salt: string } }).kdf.salt);
    const wrappingKey = await argon2idRaw(passwordBytes(EXAMPLE_PASSWORD), salt, 19456, 2, 1, 32);
    expect(doc).toContain(`| salt                         | \`${encoding.toHex(salt)}\``);
    expect(doc).toContain(`\`${encoding.toHex(wrappingKey)}\``);
  });
});
