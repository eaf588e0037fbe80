/**
 * Zips fflate cannot write, for the zip-bomb tests: an entry whose header declares a size its data does not
 * have, or whose deflate stream expands to hundreds of megabytes from a few hundred kilobytes.
 */
import { deflateRawSync, constants } from 'node:zlib';

/** One megabyte of zeros as a non-final deflate block ending on a byte boundary: repeat it to inflate more. */
const MEGABYTE_OF_ZEROS = deflateRawSync(new Uint8Array(1024 * 1024), {
  finishFlush: constants.Z_SYNC_FLUSH,
});
/** An empty final block with fixed Huffman codes: ends a deflate stream. */
const FINAL_BLOCK = Uint8Array.of(0x03, 0x00);

/** A raw deflate stream of `megabytes` MB of zeros; `finished: false` leaves it without its final block. */
export function zerosStream(megabytes: number, finished = true): Uint8Array {
  const parts = Array.from({ length: megabytes }, () => MEGABYTE_OF_ZEROS);
  return Buffer.concat(finished ? [...parts, FINAL_BLOCK] : parts);
}

export interface RawEntry {
  name: string;
  /** Stored as is: deflated data when `method` is 8. */
  data: Uint8Array;
  method?: 0 | 8;
  /** What the headers say the data expands to. */
  declaredSize: number;
}

/** A zip with the given entries, their headers saying exactly what `RawEntry` says (CRC left at 0). */
export function rawZip(entries: readonly RawEntry[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(entry.method ?? 8, 8);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(entry.method ?? 8, 10);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(entry.declaredSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, Buffer.from(entry.data));
    centrals.push(central, name);
    offset += local.length + name.length + entry.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}
