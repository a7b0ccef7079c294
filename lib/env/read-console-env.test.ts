import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { readConsoleEnv } from "./read-console-env";
import { readServerEnv } from "./server-env";

const good = { DATABASE_URL: "postgresql://twofold:pw@db.example:5432/twofold", TWOFOLD_SECRET_KEY: randomBytes(32).toString("base64") };

describe("the console's environment check", () => {
  it("accepts a complete environment (hex keys too) and keeps the shared defaults", () => {
    expect(readConsoleEnv(good).TWOFOLD_CONSOLE_PORT).toBe(3000);
    expect(readConsoleEnv({ ...good, TWOFOLD_SECRET_KEY: randomBytes(32).toString("hex") }).DATABASE_URL).toBe(good.DATABASE_URL);
  });

  it("requires the database and the key, and lists every problem at once", () => {
    const error = (() => {
      try {
        readConsoleEnv({ TWOFOLD_TRUSTED_PROXIES: "proxy.example", TWOFOLD_CONSOLE_PORT: "70000" });
      } catch (caught) {
        return caught instanceof Error ? caught.message : String(caught);
      }
      return "";
    })();
    for (const name of ["DATABASE_URL", "TWOFOLD_SECRET_KEY", "TWOFOLD_TRUSTED_PROXIES", "TWOFOLD_CONSOLE_PORT"]) expect(error).toContain(name);
  });

  it("refuses a key that is not 32 bytes, whatever its spelling", () => {
    const keys = ["short", randomBytes(31).toString("base64"), randomBytes(33).toString("hex"), `${good.TWOFOLD_SECRET_KEY.slice(0, -2)}\u0000=`, "é".repeat(44)];
    for (const key of keys) expect(() => readConsoleEnv({ ...good, TWOFOLD_SECRET_KEY: key })).toThrow(/TWOFOLD_SECRET_KEY must be 32 random bytes/);
  });

  it("refuses a database URL that is no URL", () => {
    for (const url of ["db.example 5432", "//db/twofold"]) expect(() => readConsoleEnv({ ...good, DATABASE_URL: url })).toThrow(/DATABASE_URL/);
  });

  it("VAPID subject: mailto: or https:, nothing else (web-push refuses the rest at the first push)", () => {
    expect(readServerEnv({ TWOFOLD_VAPID_SUBJECT: "mailto:noc@example.com" }).TWOFOLD_VAPID_SUBJECT).toBe("mailto:noc@example.com");
    expect(readServerEnv({ TWOFOLD_VAPID_SUBJECT: "https://mfa.example.com/" }).TWOFOLD_VAPID_SUBJECT).toBe("https://mfa.example.com/");
    for (const bad of ["noc@example.com", "http://mfa.example.com", "mailto:", "mailto:noc@example.com\n", "mailto:noc\u0007@example.com", ""]) {
      expect(() => readServerEnv({ TWOFOLD_VAPID_SUBJECT: bad })).toThrow(/TWOFOLD_VAPID_SUBJECT/);
    }
  });
});
