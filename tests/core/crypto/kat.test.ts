import { describe, expect, test } from 'vitest';
import argon2idVectors from '../../fixtures/crypto/argon2id.json';
import aesGcmVectors from '../../fixtures/crypto/aes-256-gcm.json';
import { runKnownAnswerTests } from '../../../src/core/crypto/kat';

describe('runKnownAnswerTests', () => {
  test('every Argon2id and AES-256-GCM vector passes', { timeout: 60_000 }, async () => {
    const results = await runKnownAnswerTests();
    expect(results.filter((r) => !r.ok)).toEqual([]);
    // Guards against a runner that silently skips vectors: each fixture entry yields one result.
    expect(results).toHaveLength(argon2idVectors.vectors.length + aesGcmVectors.vectors.length);
    expect(aesGcmVectors.vectors.some((v) => v.result === 'invalid')).toBe(true);
  });
});
