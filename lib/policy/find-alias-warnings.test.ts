import { describe, expect, it } from "vitest";
import { findAliasWarnings, type TAliasWarningApplication } from "./find-alias-warnings";

const app = (over: Partial<TAliasWarningApplication> & { name: string }): TAliasWarningApplication => ({
  id: over.name,
  primaryAuthMode: "radius",
  effective: { usernameNormalization: "none", newUserPolicy: "require_enrollment" },
  overridesAliasFields: false,
  ...over,
});

describe("findAliasWarnings", () => {
  it("normalization none with require_enrollment or allow_without_2fa warns, naming what goes wrong and what to pick", () => {
    const [enroll] = findAliasWarnings({ global: { usernameNormalization: "none", newUserPolicy: "require_enrollment" }, applications: [] });
    expect(enroll?.scope).toBe("Global policy");
    expect(enroll?.text).toMatch(/DOMAIN\\alice.*alice@corp.*enrollment link/);
    expect(enroll?.remedy).toMatch(/Strip domain.*Deny access/);
    const [allow] = findAliasWarnings({ global: { usernameNormalization: "none", newUserPolicy: "allow_without_2fa" }, applications: [] });
    expect(allow?.text).toMatch(/password alone/);
  });

  it("strip_domain, or deny, is quiet", () => {
    expect(findAliasWarnings({ global: { usernameNormalization: "strip_domain", newUserPolicy: "allow_without_2fa" }, applications: [app({ name: "vpn", effective: { usernameNormalization: "strip_domain", newUserPolicy: "allow_without_2fa" } })] })).toEqual([]);
    expect(findAliasWarnings({ global: { usernameNormalization: "none", newUserPolicy: "deny" }, applications: [app({ name: "vpn", effective: { usernameNormalization: "none", newUserPolicy: "deny" } })] })).toEqual([]);
  });

  it("lists the exposed applications inheriting the global policy: upstream RADIUS and no primary, not LDAP or local", () => {
    const [warning] = findAliasWarnings({
      global: { usernameNormalization: "none", newUserPolicy: "allow_without_2fa" },
      applications: [app({ name: "vpn" }), app({ name: "wifi", primaryAuthMode: "none" }), app({ name: "ad", primaryAuthMode: "ldap" }), app({ name: "lab", primaryAuthMode: "local" })],
    });
    expect(warning?.affected).toEqual(["vpn (upstream RADIUS)", "wifi (no primary)"]);
  });

  it("an application whose override makes it exposed gets its own warning, even under a safe global policy", () => {
    const warnings = findAliasWarnings({
      global: { usernameNormalization: "strip_domain", newUserPolicy: "require_enrollment" },
      applications: [
        app({ name: "legacy", overridesAliasFields: true, effective: { usernameNormalization: "none", newUserPolicy: "allow_without_2fa" } }),
        app({ name: "ldap-override", primaryAuthMode: "ldap", overridesAliasFields: true }),
        app({ name: "vpn", effective: { usernameNormalization: "strip_domain", newUserPolicy: "require_enrollment" } }),
      ],
    });
    expect(warnings.map((warning) => [warning.scope, warning.affected])).toEqual([["legacy", ["legacy (upstream RADIUS)"]]]);
    expect(warnings[0]?.text).toMatch(/password alone/);
  });
});
