// cosl's LZMABase64 on the writing side: base64 of an .xz stream, which the Grafana charm reads back with
// Python's `lzma.decompress` (format auto-detected). Node has no LZMA encoder, so the stream holds the
// text in LZMA2 *uncompressed* chunks: a valid .xz file (xz-file-format 1.2.1, CRC32 checks) that any xz
// decoder reads, a few bytes longer than the text instead of shorter. Dashboards are small; Juju's
// databag limit is far away.
import { crc32 } from "node:zlib";

const MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);
/** Stream flags: check type 1 (CRC32). */
const FLAGS = Buffer.from([0x00, 0x01]);
/** LZMA2 uncompressed chunks carry at most 64 KiB each. */
const CHUNK = 0x10000;

function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(value >>> 0);
  return out;
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

function pad4(length: number): Buffer {
  return Buffer.alloc((4 - (length % 4)) % 4);
}

function withCrc(body: Buffer): Buffer {
  return Buffer.concat([body, u32(crc32(body))]);
}

/** An .xz stream of one block whose LZMA2 data stores `data` as it is. */
export function xzStore(data: Buffer): Buffer {
  const streamHeader = Buffer.concat([MAGIC, withCrc(FLAGS)]);
  // Block header: size, flags (one filter, no sizes), filter LZMA2 (0x21) with a 1-byte dictionary property.
  const headerBody = Buffer.from([0x00, 0x00, 0x21, 0x01, 0x00]);
  const paddedHeader = Buffer.concat([headerBody, pad4(headerBody.length + 4)]);
  paddedHeader[0] = (paddedHeader.length + 4) / 4 - 1;
  const blockHeader = withCrc(paddedHeader);

  const chunks: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += CHUNK) {
    const piece = data.subarray(offset, offset + CHUNK);
    // 0x01: uncompressed chunk with a dictionary reset (required first); 0x02: uncompressed, no reset.
    chunks.push(Buffer.from([offset === 0 ? 0x01 : 0x02, (piece.length - 1) >> 8, (piece.length - 1) & 0xff]), piece);
  }
  chunks.push(Buffer.from([0x00]));
  const compressed = Buffer.concat(chunks);
  const block = Buffer.concat([blockHeader, compressed, pad4(compressed.length), u32(crc32(data))]);

  const unpaddedSize = blockHeader.length + compressed.length + 4;
  const indexBody = Buffer.concat([Buffer.from([0x00]), varint(1), varint(unpaddedSize), varint(data.length)]);
  const index = withCrc(Buffer.concat([indexBody, pad4(indexBody.length)]));

  // The footer's CRC comes first, over the backward size (index size / 4 - 1) and the flags.
  const backward = Buffer.concat([u32(index.length / 4 - 1), FLAGS]);
  const footer = Buffer.concat([u32(crc32(backward)), backward, Buffer.from("YZ")]);
  return Buffer.concat([streamHeader, block, index, footer]);
}

/** `LZMABase64.compress(text)`: what the grafana_dashboard interface carries in `content`. */
export function lzmaBase64(text: string): string {
  return xzStore(Buffer.from(text, "utf8")).toString("base64");
}
