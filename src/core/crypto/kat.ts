/**
 * Known-answer tests for the primitives Spare relies on, runnable anywhere the crypto module runs: the Node
 * unit tier calls this, and the e2e tier calls it inside real extension pages so that each browser's
 * WebCrypto and hash-wasm's WebAssembly build are checked where users run them.
 */
import argon2idVectors from '../../../tests/fixtures/crypto/argon2id.json';
import aesGcmVectors from '../../../tests/fixtures/crypto/aes-256-gcm.json';
import { isSpareError } from '../errors';
import { importDataKey, open } from './aead';
import { bytesEqual, concatBytes, fromHex, toHex, utf8 } from './encoding';
import { argon2idRaw } from './kdf';

export interface KnownAnswerResult {
  name: string;
  ok: boolean;
  detail?: string;
}

async function runArgon2id(): Promise<KnownAnswerResult[]> {
  const results: KnownAnswerResult[] = [];
  for (const v of argon2idVectors.vectors) {
    const name = `argon2id: ${v.id}`;
    try {
      const out = await argon2idRaw(
        utf8(v.password),
        utf8(v.salt),
        v.memoryKiB,
        v.iterations,
        v.parallelism,
        32,
      );
      const ok = toHex(out) === v.hash;
      results.push(ok ? { name, ok } : { name, ok, detail: `got ${toHex(out)}` });
    } catch (error) {
      results.push({ name, ok: false, detail: String(error) });
    }
  }
  return results;
}

async function runAesGcmVector(v: (typeof aesGcmVectors.vectors)[number]): Promise<KnownAnswerResult> {
  const name = `aes-256-gcm: wycheproof tcId ${v.tcId} (${v.result})`;
  try {
    const key = await importDataKey(fromHex(v.key));
    const iv = fromHex(v.iv);
    const aad = fromHex(v.aad);
    const sealed = { iv, ct: concatBytes(fromHex(v.ct), fromHex(v.tag)) };
    if (v.result === 'invalid') {
      try {
        await open(key, sealed, aad);
        return { name, ok: false, detail: 'a forged ciphertext was accepted' };
      } catch (error) {
        return isSpareError(error, 'decrypt-failed')
          ? { name, ok: true }
          : { name, ok: false, detail: `wrong error: ${String(error)}` };
      }
    }
    // seal() always draws its own IV, so encryption is checked against WebCrypto directly with the vector's IV.
    const encrypted = new Uint8Array(
      await globalThis.crypto.subtle.encrypt(
        { name: 'AES-GCM', iv: new Uint8Array(iv), additionalData: new Uint8Array(aad), tagLength: 128 },
        key,
        new Uint8Array(fromHex(v.msg)),
      ),
    );
    if (!bytesEqual(encrypted, sealed.ct))
      return { name, ok: false, detail: `encrypt gave ${toHex(encrypted)}` };
    const decrypted = await open(key, sealed, aad);
    if (toHex(decrypted) !== v.msg) return { name, ok: false, detail: `decrypt gave ${toHex(decrypted)}` };
    return { name, ok: true };
  } catch (error) {
    return { name, ok: false, detail: String(error) };
  }
}

export async function runKnownAnswerTests(): Promise<KnownAnswerResult[]> {
  const results = await runArgon2id();
  for (const v of aesGcmVectors.vectors) results.push(await runAesGcmVector(v));
  return results;
}
