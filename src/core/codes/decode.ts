/**
 * Downloaded code files arrive as bytes in whatever encoding the site or the user's editor chose: UTF-8 with
 * or without a BOM (Windows Notepad adds one), or UTF-16 (Notepad's "Unicode"). Decoding never throws; bytes
 * that are not valid UTF-8 become U+FFFD, which the parser treats as a separator.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return decodeUtf8(bytes.subarray(3));
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16le(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff)
    return decodeUtf16le(swapPairs(bytes.subarray(2)));
  const guessed = guessBomlessUtf16(bytes);
  if (guessed === 'le') return decodeUtf16le(bytes);
  if (guessed === 'be') return decodeUtf16le(swapPairs(bytes));
  return decodeUtf8(bytes);
}

function decodeUtf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
}

function decodeUtf16le(bytes: Uint8Array): string {
  return new TextDecoder('utf-16le', { ignoreBOM: true }).decode(bytes);
}

/** UTF-16BE decoding is missing from some small-ICU builds of Node; swapping bytes and reading LE is not. */
function swapPairs(bytes: Uint8Array): Uint8Array {
  const swapped = new Uint8Array(bytes.length);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    swapped[i] = bytes[i + 1]!;
    swapped[i + 1] = bytes[i]!;
  }
  if (bytes.length % 2 === 1) swapped[bytes.length - 1] = bytes[bytes.length - 1]!;
  return swapped;
}

/** ASCII text in UTF-16 without a BOM has a zero in every other byte; UTF-8 text never has zeros. */
function guessBomlessUtf16(bytes: Uint8Array): 'le' | 'be' | null {
  const sample = bytes.subarray(0, 512);
  const pairs = Math.floor(sample.length / 2);
  if (pairs < 2) return null;
  let zeroOdd = 0;
  let zeroEven = 0;
  for (let i = 0; i + 1 < sample.length; i += 2) {
    if (sample[i] === 0) zeroEven++;
    if (sample[i + 1] === 0) zeroOdd++;
  }
  if (zeroOdd >= pairs * 0.6 && zeroEven === 0) return 'le';
  if (zeroEven >= pairs * 0.6 && zeroOdd === 0) return 'be';
  return null;
}
