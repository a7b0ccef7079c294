import type { TPushDetails } from "../push/push-schemas";

const MAX_PAIRS = 8;
const MAX_KEY = 64;
const MAX_VALUE = 256;
// Control and format characters (C0, C1, DEL, bidi overrides, zero-width…): a caller's text must not restyle or hide
// what the authenticator shows beside Approve.
const UNPRINTABLE = /[\p{Cc}\p{Cf}]/gu;

const clean = (text: string, max: number): string => {
  const printable = text.replace(UNPRINTABLE, " ").replace(/\s+/g, " ").trim();
  return printable.length > max ? `${printable.slice(0, max - 1)}…` : printable;
};

// Duo's pushinfo ("from=login_portal&domain=example.com", libduo: "Server+IP=10.0.0.5&Command=ls%20-l"): URL-encoded
// pairs the authenticator shows with the push. Decoded, stripped of control characters, bounded in count and length;
// pairs without a key are dropped.
export const parsePushInfo = (pushinfo: string | undefined): TPushDetails => {
  if (!pushinfo) return [];
  const details: TPushDetails = [];
  for (const [key, value] of new URLSearchParams(pushinfo)) {
    const name = clean(key, MAX_KEY);
    if (!name) continue;
    details.push({ key: name, value: clean(value, MAX_VALUE) });
    if (details.length === MAX_PAIRS) break;
  }
  return details;
};
