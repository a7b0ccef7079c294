import { describe, expect, it } from "vitest";
import { ipv4RangeToCidrs } from "./ipv4-range-to-cidrs";
import { parseAuthproxyCfg } from "./parse-authproxy-cfg";

describe("parseAuthproxyCfg", () => {
  it("reads sections as configparser does: both separators, comments, continuation lines, case-insensitive keys", () => {
    const { sections, problems } = parseAuthproxyCfg("\uFEFF; comment\n[radius_client]\nHost = 10.0.0.1\nsecret: s3cret;not-a-comment\n# another\npass_through_attr_names=Class,\n  Filter-Id\n");
    expect(problems).toEqual([]);
    expect(sections).toEqual([{ name: "radius_client", line: 2, values: new Map([["host", "10.0.0.1"], ["secret", "s3cret;not-a-comment"], ["pass_through_attr_names", "Class,\nFilter-Id"]]) }]);
  });

  it("reports what the Duo proxy would refuse, and reads it leniently", () => {
    const { sections, problems } = parseAuthproxyCfg("host=1.2.3.4\n[a]\nx=1\nx=2\n[a]\ny=3\n");
    expect(problems).toEqual([
      "line 1: not understood (outside any [section])",
      "line 4: [a] x is set twice; the later value is used",
      "line 5: section [a] appears twice (the Duo proxy refuses that); read as one",
    ]);
    expect(sections[0]?.values).toEqual(new Map([["x", "2"], ["y", "3"]]));
  });
});

describe("ipv4RangeToCidrs", () => {
  it("covers a range exactly with the fewest prefixes", () => {
    expect(ipv4RangeToCidrs("10.0.0.0-10.0.0.255")).toEqual(["10.0.0.0/24"]);
    expect(ipv4RangeToCidrs("10.20.1.0-10.20.1.9")).toEqual(["10.20.1.0/29", "10.20.1.8/31"]);
    expect(ipv4RangeToCidrs("10.0.0.5-10.0.0.5")).toEqual(["10.0.0.5"]);
    expect(ipv4RangeToCidrs("10.0.0.255-10.0.1.0")).toEqual(["10.0.0.255", "10.0.1.0"]);
    expect(ipv4RangeToCidrs("10.0.0.9-10.0.0.1")).toBeUndefined();
    expect(ipv4RangeToCidrs("fe80::1-fe80::9")).toBeUndefined();
  });
});
