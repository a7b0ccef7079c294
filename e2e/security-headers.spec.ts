import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./support/sign-in";
import { readRun } from "./support/state";

// Every route of the console answers with the security headers, and no page needs anything the policy forbids: a
// CSP violation (a blocked script, style or connection) fails the test, so a policy too strict to use is caught too.
const PUBLIC = ["/sign-in", "/setup", "/enroll/not-a-token", "/authenticator", "/authenticator/enroll/not-a-token"];
const CONSOLE = [
  "/", "/users", "/users/new", "/users/import", "/users/import-tokens", "/groups", "/applications", "/applications/new", "/policies",
  "/radius-clients", "/radius-clients/new", "/primary-auth", "/primary-auth/new", "/auth-log", "/audit", "/admins", "/account/two-factor",
];

const watchViolations = (page: Page): string[] => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (load|execute|apply|connect)/i.test(message.text())) violations.push(message.text());
  });
  return violations;
};

const expectHeaders = (headers: Record<string, string>, path: string) => {
  const csp = headers["content-security-policy"] ?? "";
  expect(csp, path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
  expect(csp, path).toContain("frame-ancestors 'none'");
  expect(headers["x-frame-options"], path).toBe("DENY");
  expect(headers["x-content-type-options"], path).toBe("nosniff");
  expect(headers["referrer-policy"], path).toBe("no-referrer");
};

test("every route sends CSP with a fresh nonce, no framing, no sniffing, no referrer — and no page trips its own policy", async ({ page }) => {
  const run = readRun();
  const violations = watchViolations(page);
  const nonces = new Set<string>();
  const visit = async (path: string) => {
    const response = await page.goto(`${run.baseURL}${path}`);
    const headers = response?.headers() ?? {};
    expectHeaders(headers, path);
    nonces.add(/'nonce-([^']+)'/.exec(headers["content-security-policy"] ?? "")?.[1] ?? "");
    await page.waitForLoadState("networkidle");
  };
  for (const path of PUBLIC) await visit(path);
  await signIn(page);
  for (const path of CONSOLE) await visit(path);
  expect(nonces.size).toBe(PUBLIC.length + CONSOLE.length);
  // The API answers with the headers too.
  const api = await page.request.get(`${run.baseURL}/api/policies/global`);
  expectHeaders(api.headers(), "/api/policies/global");
  expect(violations).toEqual([]);
  // Hydration still works under the policy: a client-side control responds.
  await page.goto(`${run.baseURL}/auth-log`);
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
});
