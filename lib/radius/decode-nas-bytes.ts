// A RADIUS text attribute is bytes, and a hostile NAS sends bytes that are not UTF-8. Decoding them with
// Buffer#toString turns each into U+FFFD and the log can no longer say what was sent. This keeps every byte: valid
// UTF-8 decodes as usual, a byte that does not start a valid sequence becomes U+DC80 + (byte - 0x80) — Python's
// "surrogateescape" — which storableText stores as \xHH and encodeNasBytes turns back into the byte.
const sequenceLength = (bytes: Buffer, index: number): number => {
  const lead = bytes[index]!;
  if (lead < 0x80) return 1;
  const cont = (offset: number, min = 0x80, max = 0xbf) => {
    const byte = bytes[index + offset];
    return byte !== undefined && byte >= min && byte <= max;
  };
  // RFC 3629 §4: no overlongs, no surrogates, nothing above U+10FFFF.
  if (lead >= 0xc2 && lead <= 0xdf) return cont(1) ? 2 : 0;
  if (lead === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (lead === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (lead >= 0xe1 && lead <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (lead === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (lead >= 0xf1 && lead <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (lead === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
};

export const decodeNasBytes = (bytes: Buffer): string => {
  const quick = bytes.toString("utf8");
  if (!quick.includes("\ufffd")) return quick;
  let text = "";
  for (let index = 0; index < bytes.length; ) {
    const length = sequenceLength(bytes, index);
    if (length === 0) {
      text += String.fromCharCode(0xdc00 + bytes[index]!);
      index += 1;
    } else {
      text += bytes.toString("utf8", index, index + length);
      index += length;
    }
  }
  return text;
};

// The inverse of decodeNasBytes (and, after readStoredText, of what the log stored): the bytes the NAS sent.
export const encodeNasBytes = (text: string): Buffer => {
  const parts: Buffer[] = [];
  let start = 0;
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    const paired = index > 0 && unit >= 0xdc00 && unit <= 0xdfff && text.charCodeAt(index - 1) >= 0xd800 && text.charCodeAt(index - 1) <= 0xdbff;
    if (unit >= 0xdc80 && unit <= 0xdcff && !paired) {
      parts.push(Buffer.from(text.slice(start, index), "utf8"), Buffer.from([unit - 0xdc00]));
      start = index + 1;
    }
  }
  parts.push(Buffer.from(text.slice(start), "utf8"));
  return Buffer.concat(parts);
};
