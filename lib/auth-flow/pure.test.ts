import { describe, expect, it } from "vitest";
import { textAttributes, vendorAttribute } from "../radius/attributes";
import { Attr } from "../radius/constants";
import { classFromGroups } from "./class-from-groups";
import { createDropCounter } from "./drop-counter";
import { filterPassThrough } from "./filter-pass-through";
import { createRetransmitCache, retransmitKey } from "./retransmit-cache";

const mapping = (position: number, value: string, link: { groupId?: string; directoryGroup?: string }) => ({
  id: `m${position}`,
  groupId: link.groupId ?? null,
  groupName: null,
  directoryGroup: link.directoryGroup ?? null,
  classValue: value,
  position,
});

describe("auth-flow decisions", () => {
  it("filters pass-through by dictionary name and never passes per-hop attributes", () => {
    const attributes = [
      ...textAttributes(Attr.Class, "OU=X;"),
      ...textAttributes(Attr.FilterId, "acl"),
      vendorAttribute(9, 1, Buffer.from("a=b")),
      vendorAttribute(3076, 25, Buffer.from("GP")),
      { type: Attr.ProxyState, value: Buffer.from("p") },
      { type: Attr.MessageAuthenticator, value: Buffer.alloc(16) },
    ];
    expect(filterPassThrough({ attributes, passThroughAll: true, passThroughAttrs: [] }).map((attr) => attr.type)).toEqual([25, 11, 26, 26]);
    const listed = filterPassThrough({ attributes, passThroughAll: false, passThroughAttrs: [" class ", "ASA-Group-Policy"] });
    expect(listed.map((attr) => [attr.type, attr.vendorId])).toEqual([[25, undefined], [26, 3076]]);
    expect(listed[1]?.value).toBe(attributes[3]?.value); // same bytes, not re-encoded
  });

  it("maps the first matching group in admin order to Class", () => {
    const mappings = [mapping(2, "Sales", { directoryGroup: "Sales" }), mapping(1, "OU=Eng;", { groupId: "g-eng" }), mapping(3, "All", { directoryGroup: "everyone" })];
    expect(classFromGroups({ mappings, twofoldGroupIds: ["g-eng"], directoryGroups: ["sales"] })).toBe("OU=Eng;");
    expect(classFromGroups({ mappings, twofoldGroupIds: [], directoryGroups: ["SALES", "everyone"] })).toBe("OU=Sales;");
    expect(classFromGroups({ mappings, twofoldGroupIds: [], directoryGroups: [] })).toBeUndefined();
  });

  it("retransmit cache: absorbs while in progress, re-sends once answered, new authenticator is a new request, expires", () => {
    let time = 0;
    const cache = createRetransmitCache({ ttlMs: 30_000, now: () => time });
    const key = retransmitKey("10.0.0.1", 1645, 7, Buffer.alloc(16, 1));
    expect(cache.begin(key)).toEqual({ kind: "new" });
    expect(cache.begin(key)).toEqual({ kind: "in_progress" });
    expect(cache.begin(retransmitKey("10.0.0.1", 1645, 7, Buffer.alloc(16, 2)))).toEqual({ kind: "new" });
    cache.complete(key, Buffer.from("reply"));
    expect(cache.begin(key)).toEqual({ kind: "answered", response: Buffer.from("reply") });
    time = 30_001;
    expect(cache.begin(key)).toEqual({ kind: "new" });
    cache.stop();
  });

  it("drop counter counts every drop and logs each reason at most once per interval", () => {
    let time = 0;
    const lines: string[] = [];
    const drops = createDropCounter({ log: (line) => lines.push(line), intervalMs: 10_000, now: () => time });
    for (let i = 0; i < 5; i += 1) drops.drop("unknown_client", "10.9.9.9:1", "no client");
    drops.drop("bad_length", "10.9.9.9:1", "short");
    time = 10_000;
    drops.drop("unknown_client", "10.9.9.9:1", "no client");
    expect(drops.counts()).toEqual({ unknown_client: 6, bad_length: 1 });
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain("+4 more");
  });
});
