import { afterAll, describe, expect, it } from "vitest";
import { CHALLENGE_STATE_PREFIX, startFreeRadius, type TFreeRadius } from "./freeradius";
import { radclient } from "./radclient";

const servers: TFreeRadius[] = [];
afterAll(async () => {
  for (const server of servers) await server.stop();
});

const stateHex = `0x${Buffer.from(`${CHALLENGE_STATE_PREFIX}carol`).toString("hex")}`;

describe("startFreeRadius", () => {
  it("acts as the upstream: attributes on accept, none on reject, challenge, accounting, counted requests", async () => {
    const upstream = await startFreeRadius({ secret: "up-secret" });
    servers.push(upstream);
    const accept = await radclient({ port: upstream.authPort, secret: "up-secret", rawAttributes: ['User-Name = "alice", User-Password = "alice-pass"'], messageAuthenticator: false });
    expect(accept.stdout).toContain("Received Access-Accept");
    for (const expected of ['Cisco-AVPair = "ip:inacl#1=permit ip any any"', 'Filter-Id = "vpn-engineering"', "Framed-IP-Address = 10.8.0.10", "Session-Timeout = 3600", 'Reply-Message = "Welcome, alice"', 'ASA-Group-Policy = "Engineering-GP"']) {
      expect(accept.stdout).toContain(expected);
    }
    expect(accept.stdout).toContain(`Class = 0x${Buffer.from("OU=Engineering;").toString("hex")}`);

    const reject = await radclient({ port: upstream.authPort, secret: "up-secret", rawAttributes: ['User-Name = "alice", User-Password = "nope"'], messageAuthenticator: false });
    expect(reject.stdout).toContain("Received Access-Reject");
    expect(reject.stdout).not.toContain("Class");

    const odd = await radclient({ port: upstream.authPort, secret: "up-secret", rawAttributes: ['User-Name = "dave", User-Password = "p,a\\\\ss wörd"'], messageAuthenticator: false });
    expect(odd.stdout).toContain("Received Access-Accept");

    const challenge = await radclient({ port: upstream.authPort, secret: "up-secret", rawAttributes: ['User-Name = "carol", User-Password = "carol-pass"'], messageAuthenticator: false });
    expect(challenge.stdout).toContain("Received Access-Challenge");
    expect(challenge.stdout).toContain(`State = ${stateHex}`);
    const answered = await radclient({ port: upstream.authPort, secret: "up-secret", rawAttributes: [`User-Name = "carol", User-Password = "424242", State = ${stateHex}`], messageAuthenticator: false });
    expect(answered.stdout).toContain("Received Access-Accept");
    const wrongAnswer = await radclient({ port: upstream.authPort, secret: "up-secret", rawAttributes: [`User-Name = "carol", User-Password = "000000", State = ${stateHex}`], messageAuthenticator: false });
    expect(wrongAnswer.stdout).toContain("Received Access-Reject");

    const wrongSecret = await radclient({ port: upstream.authPort, secret: "other", rawAttributes: ['User-Name = "alice", User-Password = "alice-pass"'], messageAuthenticator: false, timeoutSec: 1, retries: 1 });
    expect(wrongSecret.stdout).not.toContain("Received Access-Accept");

    const acct = await radclient({ port: upstream.acctPort, secret: "up-secret", command: "acct", rawAttributes: ['User-Name = "alice", Acct-Status-Type = Start, Acct-Session-Id = "s1"'], messageAuthenticator: false });
    expect(acct.stdout).toContain("Received Accounting-Response");
    expect(upstream.accountingCount()).toBe(1);
    // alice x2, dave, carol x3, and the wrong-secret packet (received, its password decodes to garbage)
    expect(upstream.requestCount()).toBe(7);
  });

  it("proxies to another FreeRADIUS in proxy mode", async () => {
    const upstream = await startFreeRadius({ secret: "up-secret" });
    servers.push(upstream);
    const proxy = await startFreeRadius({ secret: "nas-secret", mode: "proxy", proxyTo: { host: "127.0.0.1", authPort: upstream.authPort, secret: "up-secret" } });
    servers.push(proxy);
    const accept = await radclient({ port: proxy.authPort, secret: "nas-secret", rawAttributes: ['User-Name = "alice", User-Password = "alice-pass"'], messageAuthenticator: false });
    expect(accept.stdout).toContain("Received Access-Accept");
    expect(accept.stdout).toContain('Cisco-AVPair = "shell:priv-lvl=1"');
    const reject = await radclient({ port: proxy.authPort, secret: "nas-secret", rawAttributes: ['User-Name = "alice", User-Password = "bad"'], messageAuthenticator: false });
    expect(reject.stdout).toContain("Received Access-Reject");
    expect(proxy.requestCount()).toBe(2);
    expect(upstream.requestCount()).toBe(2);
    const quiet = await startFreeRadius({ secret: "nas-secret", mode: "proxy", countRequests: false, proxyTo: { host: "127.0.0.1", authPort: upstream.authPort, secret: "up-secret" } });
    servers.push(quiet);
    expect((await radclient({ port: quiet.authPort, secret: "nas-secret", rawAttributes: ['User-Name = "bob", User-Password = "bob-pass"'], messageAuthenticator: false })).stdout).toContain("Received Access-Accept");
    expect(quiet.requestCount()).toBe(0);
    expect(upstream.requestCount()).toBe(3);
  });
});
