import { expect, test, type Page } from "@playwright/test";
import { startSlapd } from "../lib/testing/slapd";
import { seedLocalVpn } from "./support/seed-local-vpn";
import { signIn } from "./support/sign-in";
import { readRun } from "./support/state";

// Every route of the console answers with the security headers, and no page needs anything the policy forbids: a
// CSP violation (a blocked script, style or connection) fails the test, so a policy too strict to use is caught too.
// Detail pages are visited with a real object behind them (and enrollment with a live token), because those are the
// pages with the most client components; an "unknown id" page would only test the 404.
const PUBLIC = ["/sign-in", "/sign-in/code", "/sign-in/change-password", "/setup", "/enroll/not-a-token", "/authenticator", "/authenticator/enroll/not-a-token"];
const CONSOLE = [
  "/", "/users", "/users/new", "/users/import", "/users/import-tokens", "/users/enrollment-mail", "/groups", "/applications", "/applications/new",
  "/policies", "/radius-clients", "/radius-clients/new", "/primary-auth", "/primary-auth/new", "/auth-log", "/audit", "/admins", "/settings/email",
  "/account/two-factor", "/forbidden",
];

const watchViolations = (page: Page): string[] => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (load|execute|apply|connect)/i.test(message.text())) violations.push(message.text());
  });
  return violations;
};

const expectHeaders = (headers: Record<string, string>, path: string, tls = false) => {
  const csp = headers["content-security-policy"] ?? "";
  expect(csp, path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
  expect(csp, path).toContain("frame-ancestors 'none'");
  expect(csp, path).toContain("object-src 'none'");
  expect(headers["x-frame-options"], path).toBe("DENY");
  expect(headers["x-content-type-options"], path).toBe("nosniff");
  expect(headers["referrer-policy"], path).toBe("no-referrer");
  expect(headers["cross-origin-opener-policy"], path).toBe("same-origin");
  expect(headers["permissions-policy"], path).toContain("camera=()");
  // HSTS over plain HTTP is ignored by browsers and would claim a guarantee the connection does not give.
  if (tls) {
    expect(headers["strict-transport-security"], path).toBe("max-age=31536000; includeSubDomains");
    expect(csp, path).toContain("upgrade-insecure-requests");
  } else {
    expect(headers["strict-transport-security"], path).toBeUndefined();
    expect(csp, path).not.toContain("upgrade-insecure-requests");
  }
};

// One of each object that has its own page: a user in a group, its application and RADIUS client, an LDAP server
// (a real slapd, so the directory sync page lists its groups) with sync settings, and a live enrollment link.
const seedDetailObjects = async () => {
  const seeded = await seedLocalVpn({ prefix: "hdr", factorEntry: "append", password: (suffix) => `Hdr-Pass-${suffix}` });
  const { prisma, suffix, user } = seeded;
  const slapd = await startSlapd();
  const { encryptSecret } = await import("../lib/secrets/envelope");
  const { createEnrollmentLink } = await import("../lib/enrollment/create-enrollment-link");
  const group = await prisma.group.create({ data: { name: `hdr-${suffix}`, members: { create: { userId: user.id } } } });
  const server = await prisma.primaryAuthServer.create({
    data: { name: `hdr-ldap-${suffix}`, kind: "ldap", host: "127.0.0.1", port: slapd.port, secret: encryptSecret(slapd.bindPassword), bindDn: slapd.bindDn, baseDn: slapd.baseDn, directorySync: { create: {} } },
  });
  const link = await createEnrollmentLink({ prisma, userId: user.id, createdBy: "e2e", baseUrl: seeded.run.baseURL });
  const remove = async () => {
    await prisma.primaryAuthServer.delete({ where: { id: server.id } });
    await prisma.group.delete({ where: { id: group.id } });
    await seeded.remove(); // the user, and with it the enrollment link
    await slapd.stop();
  };
  return {
    publicPaths: [`/enroll/${link.token}`, `/authenticator/enroll/${link.token}`],
    consolePaths: [`/users/${user.id}`, `/groups/${group.id}`, `/applications/${seeded.application.id}`, `/radius-clients/${seeded.client.id}`, `/primary-auth/${server.id}`, `/primary-auth/${server.id}/directory-sync`],
    remove,
  };
};

test("every route sends CSP with a fresh nonce, no framing, no sniffing, no referrer — and no page trips its own policy", async ({ page }) => {
  const run = readRun();
  const seeded = await seedDetailObjects();
  try {
    const violations = watchViolations(page);
    const nonces = new Set<string>();
    const visit = async (path: string) => {
      const response = await page.goto(`${run.baseURL}${path}`);
      // The page itself answered: not a redirect to sign-in, not a 404 for a seeded id.
      expect(response?.status(), path).toBe(200);
      expect(new URL(page.url()).pathname, path).toBe(path);
      const headers = response?.headers() ?? {};
      expectHeaders(headers, path);
      nonces.add(/'nonce-([^']+)'/.exec(headers["content-security-policy"] ?? "")?.[1] ?? "");
      await page.waitForLoadState("networkidle");
    };
    const publicPaths = [...PUBLIC, ...seeded.publicPaths];
    const consolePaths = [...CONSOLE, ...seeded.consolePaths];
    for (const path of publicPaths) await visit(path);
    // The live enrollment link really rendered its form, not the "link is not valid" banner.
    await page.goto(`${run.baseURL}${seeded.publicPaths[0]}`);
    await expect(page.getByLabel("Password")).toBeVisible();
    await signIn(page);
    for (const path of consolePaths) await visit(path);
    await expect(page.getByRole("heading", { name: /^Directory sync: hdr-ldap-/ })).toBeVisible();
    await expect(page.getByRole("checkbox", { name: /members?\)/ }).first()).toBeVisible();
    expect(nonces.size).toBe(publicPaths.length + consolePaths.length);
    // The API answers with the headers too.
    const api = await page.request.get(`${run.baseURL}/api/policies/global`);
    expectHeaders(api.headers(), "/api/policies/global");
    expect(violations).toEqual([]);
    // Hydration still works under the policy: a client-side control responds.
    await page.goto(`${run.baseURL}/auth-log`);
    await expect(page.getByTestId("signed-in-as")).toBeVisible();
  } finally {
    await seeded.remove();
  }
});

// The e2e console trusts no proxy (TWOFOLD_TRUSTED_PROXIES is empty), yet HSTS follows X-Forwarded-Proto from any
// peer: proxy.ts decides it that way on purpose, since a spoofed header can only add HSTS to the sender's own response.
test("a request forwarded as https gets HSTS and upgrade-insecure-requests; plain http gets neither", async ({ page }) => {
  const run = readRun();
  for (const path of ["/sign-in", "/api/policies/global"]) {
    const forwarded = await page.request.get(`${run.baseURL}${path}`, { headers: { "x-forwarded-proto": "https" }, maxRedirects: 0 });
    expectHeaders(forwarded.headers(), `${path} (x-forwarded-proto: https)`, true);
    const forwardedHttp = await page.request.get(`${run.baseURL}${path}`, { headers: { "x-forwarded-proto": "http" }, maxRedirects: 0 });
    expectHeaders(forwardedHttp.headers(), `${path} (x-forwarded-proto: http)`);
  }
  await signIn(page);
  const users = await page.request.get(`${run.baseURL}/users`, { headers: { "x-forwarded-proto": "https" }, maxRedirects: 0 });
  expect(users.status()).toBe(200);
  expectHeaders(users.headers(), "/users (x-forwarded-proto: https)", true);
});
