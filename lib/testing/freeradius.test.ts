import { afterAll, describe, expect, it } from "vitest";
import { CHALLENGE_STATE_PREFIX, radclient, startFreeRadius, type TFreeRadius } from "./freeradius";

const servers: TFreeRadius[] = [];
afterAll(async () => {
  for (const server of servers) await server.stop();
});

const stateHex = `0x${Buffer.from(`${CHALLENGE_STATE_PREFIX}carol`).toString("hex")}`;

describe("startFreeRadius", () => {
  it("acts as the upstream: attributes on accept, none on reject, challenge, accounting, counted requests", async () => {
    const upstream = await startFreeRadius({ secret: "up-secret" });
    servers.push(upstream);
    const accept = await radclient({ port: upstream.authPort, secret: "up-secret", pairs: 'User-Name = "alice", User-Password = "alice-pass"' });
    expect(accept.output).toContain("Received Access-Accept");
    for (const expected of ['Cisco-AVPair = "ip:inacl#1=permit ip any any"', 'Filter-Id = "vpn-engineering"', "Framed-IP-Address = 10.8.0.10", "Session-Timeout = 3600", 'Reply-Message = "Welcome, alice"', 'ASA-Group-Policy = "Engineering-GP"']) {
      expect(accept.output).toContain(expected);
    }
    expect(accept.output).toContain(`Class = 0x${Buffer.from("OU=Engineering;").toString("hex")}`);

    const reject = await radclient({ port: upstream.authPort, secret: "up-secret", pairs: 'User-Name = "alice", User-Password = "nope"' });
    expect(reject.output).toContain("Received Access-Reject");
    expect(reject.output).not.toContain("Class");

    const odd = await radclient({ port: upstream.authPort, secret: "up-secret", pairs: 'User-Name = "dave", User-Password = "p,a\\\\ss wörd"' });
    expect(odd.output).toContain("Received Access-Accept");

    const challenge = await radclient({ port: upstream.authPort, secret: "up-secret", pairs: 'User-Name = "carol", User-Password = "carol-pass"' });
    expect(challenge.output).toContain("Received Access-Challenge");
    expect(challenge.output).toContain(`State = ${stateHex}`);
    const answered = await radclient({ port: upstream.authPort, secret: "up-secret", pairs: `User-Name = "carol", User-Password = "424242", State = ${stateHex}` });
    expect(answered.output).toContain("Received Access-Accept");
    const wrongAnswer = await radclient({ port: upstream.authPort, secret: "up-secret", pairs: `User-Name = "carol", User-Password = "000000", State = ${stateHex}` });
    expect(wrongAnswer.output).toContain("Received Access-Reject");

    const wrongSecret = await radclient({ port: upstream.authPort, secret: "other", pairs: 'User-Name = "alice", User-Password = "alice-pass"', timeoutSec: 1, retries: 1 });
    expect(wrongSecret.output).not.toContain("Received Access-Accept");

    const acct = await radclient({ port: upstream.acctPort, secret: "up-secret", kind: "acct", pairs: 'User-Name = "alice", Acct-Status-Type = Start, Acct-Session-Id = "s1"' });
    expect(acct.output).toContain("Received Accounting-Response");
    expect(upstream.accountingCount()).toBe(1);
    // alice x2, dave, carol x3, and the wrong-secret packet (received, its password decodes to garbage)
    expect(upstream.requestCount()).toBe(7);
  });

  it("proxies to another FreeRADIUS in proxy mode", async () => {
    const upstream = await startFreeRadius({ secret: "up-secret" });
    servers.push(upstream);
    const proxy = await startFreeRadius({ secret: "nas-secret", mode: "proxy", proxyTo: { host: "127.0.0.1", authPort: upstream.authPort, secret: "up-secret" } });
    servers.push(proxy);
    const accept = await radclient({ port: proxy.authPort, secret: "nas-secret", pairs: 'User-Name = "alice", User-Password = "alice-pass"' });
    expect(accept.output).toContain("Received Access-Accept");
    expect(accept.output).toContain('Cisco-AVPair = "shell:priv-lvl=1"');
    const reject = await radclient({ port: proxy.authPort, secret: "nas-secret", pairs: 'User-Name = "alice", User-Password = "bad"' });
    expect(reject.output).toContain("Received Access-Reject");
    expect(proxy.requestCount()).toBe(2);
    expect(upstream.requestCount()).toBe(2);
    const quiet = await startFreeRadius({ secret: "nas-secret", mode: "proxy", countRequests: false, proxyTo: { host: "127.0.0.1", authPort: upstream.authPort, secret: "up-secret" } });
    servers.push(quiet);
    expect((await radclient({ port: quiet.authPort, secret: "nas-secret", pairs: 'User-Name = "bob", User-Password = "bob-pass"' })).output).toContain("Received Access-Accept");
    expect(quiet.requestCount()).toBe(0);
    expect(upstream.requestCount()).toBe(3);
  });
});
