import { describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "./parse-database-url";

describe("parseDatabaseUrl", () => {
  it("leaves a single-host URL exactly as it was", () => {
    const url = "postgresql://u:p%40ss@db.example:6543/twofold?sslmode=require";
    expect(parseDatabaseUrl(url)).toMatchObject({ hosts: [{ host: "db.example", port: 6543 }], requireWritable: false, url });
  });

  it("reads libpq's multi-host form, default ports and IPv6 brackets, and drops target_session_attrs for pg", () => {
    const target = parseDatabaseUrl("postgres://u:p@a.example,b.example:5433,[fd00::1]:5434/db?target_session_attrs=read-write&sslmode=require");
    expect(target.hosts).toEqual([
      { host: "a.example", port: 5432 },
      { host: "b.example", port: 5433 },
      { host: "fd00::1", port: 5434 },
    ]);
    expect(target.requireWritable).toBe(true);
    expect(target.url).toBe("postgres://u:p@a.example:5432/db?sslmode=require");
    expect(target.urlFor({ host: "fd00::1", port: 5434 })).toBe("postgres://u:p@[fd00::1]:5434/db?sslmode=require");
  });

  it("refuses what libpq would refuse: a bad port, an empty host, an unknown target_session_attrs", () => {
    expect(() => parseDatabaseUrl("postgresql://u:p@a:99999/db")).toThrow(/bad host/);
    expect(() => parseDatabaseUrl("postgresql://u:p@a:5432,:5432/db")).toThrow(/bad host/);
    expect(() => parseDatabaseUrl("postgresql://u:p@a,b/db?target_session_attrs=standby")).toThrow();
  });
});
