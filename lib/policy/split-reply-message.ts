// RFC 2865: an attribute value is at most 253 bytes; a longer Reply-Message goes out as several attributes, which the
// NAS concatenates. Split on UTF-8 character boundaries (never inside a multi-byte character), preferring spaces.
export const REPLY_MESSAGE_MAX_BYTES = 253;

export type TSplitReplyMessageOptions = { text: string; maxBytes?: number };

export const splitReplyMessage = ({ text, maxBytes = REPLY_MESSAGE_MAX_BYTES }: TSplitReplyMessageOptions): string[] => {
  const chars = Array.from(text);
  const chunks: string[] = [];
  let start = 0;
  while (start < chars.length) {
    let end = start;
    let bytes = 0;
    while (end < chars.length) {
      const size = Buffer.byteLength(chars[end] ?? "", "utf8");
      if (bytes + size > maxBytes) break;
      bytes += size;
      end += 1;
    }
    if (end === start) end = start + 1; // a single character wider than maxBytes cannot happen for maxBytes >= 4
    if (end < chars.length && chars[end] !== " ") {
      // Break after the last space inside the chunk, so words stay whole.
      const lastSpace = chars.lastIndexOf(" ", end - 1);
      if (lastSpace >= start + 1) end = lastSpace + 1;
    }
    chunks.push(chars.slice(start, end).join(""));
    start = end;
  }
  return chunks.length > 0 ? chunks : [""];
};
