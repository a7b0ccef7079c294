import { isIPv4 } from "node:net";

const toInt = (ip: string) => ip.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
const toIp = (value: number) => [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");

// Duo's radius_ip_N accepts "10.0.0.5-10.0.0.20"; Twofold clients are addresses or prefixes, so a range becomes the
// smallest set of prefixes covering exactly it.
export const ipv4RangeToCidrs = (range: string): string[] | undefined => {
  const [from = "", to = "", extra] = range.split("-").map((part) => part.trim());
  if (extra !== undefined || !isIPv4(from) || !isIPv4(to)) return undefined;
  let start = toInt(from);
  const end = toInt(to);
  if (start > end) return undefined;
  const cidrs: string[] = [];
  while (start <= end) {
    let size = 1;
    while (size * 2 <= end - start + 1 && start % (size * 2) === 0) size *= 2;
    const prefix = 32 - Math.log2(size);
    cidrs.push(prefix === 32 ? toIp(start) : `${toIp(start)}/${prefix}`);
    start += size;
  }
  return cidrs;
};
