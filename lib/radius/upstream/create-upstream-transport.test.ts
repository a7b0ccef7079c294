import { createSocket, type Socket } from "node:dgram";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TRadiusAttribute } from "../../primary-auth/types";
import { md5Authenticator } from "../authenticators";
import { Attr, HEADER_LENGTH, RadiusCode } from "../constants";
import { encodeResponse } from "../encode-packet";
import { verifyResponse } from "../verify-response";
import { createUpstreamTransport, type TUpstreamTransport } from "./create-upstream-transport";

// RFC 3579 §3.2: every packet carrying EAP-Message carries Message-Authenticator. An upstream reply with EAP and
// without one is refused — by the codec, and so by the transport, which waits on for a reply that verifies.
const secret = Buffer.from("ise-eap-secret");
const EAP_REQUEST = { type: Attr.EapMessage, value: Buffer.from([1, 7, 0, 6, 25, 0x20]) }; // EAP-Request/PEAP start
const STATE = { type: Attr.State, value: Buffer.from("ise-eap-round-1") };

// A reply as an upstream could send it: with Message-Authenticator (our encoder, which always adds one) or without.
const reply = (options: { code: number; identifier: number; requestAuthenticator: Buffer; attributes: TRadiusAttribute[]; messageAuthenticator: boolean }): Buffer => {
  if (options.messageAuthenticator) return encodeResponse({ ...options, proxyStates: [], secret }).packet;
  const body = Buffer.concat(options.attributes.map((attr) => Buffer.concat([Buffer.from([attr.type, 2 + attr.value.length]), attr.value])));
  const packet = Buffer.concat([Buffer.alloc(HEADER_LENGTH), body]);
  packet[0] = options.code;
  packet[1] = options.identifier;
  packet.writeUInt16BE(packet.length, 2);
  md5Authenticator(packet, options.requestAuthenticator, secret).copy(packet, 4);
  return packet;
};

describe("Message-Authenticator on upstream replies carrying EAP", () => {
  it("the codec refuses EAP without Message-Authenticator whatever the caller asks, and takes it with a valid one", () => {
    const requestAuthenticator = randomBytes(16);
    const build = (messageAuthenticator: boolean, attributes = [EAP_REQUEST, STATE]) => reply({ code: RadiusCode.AccessChallenge, identifier: 9, requestAuthenticator, attributes, messageAuthenticator });
    expect(verifyResponse({ response: build(false), requestAuthenticator, secret, requireMessageAuthenticator: false })).toEqual({ ok: false, detail: "reply carries EAP-Message without Message-Authenticator (RFC 3579 §3.2)" });
    const signed = verifyResponse({ response: build(true), requestAuthenticator, secret, requireMessageAuthenticator: false });
    expect(signed.ok && signed.packet.attributes.map((attr) => attr.type)).toEqual([Attr.MessageAuthenticator, Attr.EapMessage, Attr.State]);
    // A wrong one is refused as ever; a reply without EAP still needs none unless the caller asks.
    const tampered = build(true);
    tampered[HEADER_LENGTH + 2] = (tampered[HEADER_LENGTH + 2] ?? 0) ^ 1;
    expect(verifyResponse({ response: tampered, requestAuthenticator, secret, requireMessageAuthenticator: false }).ok).toBe(false);
    expect(verifyResponse({ response: build(false, [STATE]), requestAuthenticator, secret, requireMessageAuthenticator: false }).ok).toBe(true);
  });

  describe("the transport", () => {
    let upstream: Socket;
    let transport: TUpstreamTransport;
    // What the upstream answers each request with, in order.
    let answers: boolean[] = []; // true: with Message-Authenticator

    beforeAll(async () => {
      upstream = createSocket("udp4");
      upstream.on("message", (message, rinfo) => {
        const [identifier, requestAuthenticator] = [message[1]!, Buffer.from(message.subarray(4, 20))];
        for (const messageAuthenticator of answers) {
          upstream.send(reply({ code: RadiusCode.AccessChallenge, identifier, requestAuthenticator, attributes: [EAP_REQUEST, STATE], messageAuthenticator }), rinfo.port, rinfo.address);
        }
      });
      await new Promise<void>((resolve) => upstream.bind(0, "127.0.0.1", resolve));
      transport = await createUpstreamTransport();
    });

    afterAll(async () => {
      await transport?.close();
      await new Promise<void>((resolve) => upstream.close(() => resolve()));
    });

    const exchange = () =>
      transport.exchange({
        target: { host: "127.0.0.1", port: (upstream.address() as { port: number }).port, secret },
        code: RadiusCode.AccessRequest,
        attributes: () => [{ type: Attr.UserName, value: Buffer.from("anonymous") }, { type: Attr.EapMessage, value: Buffer.from([2, 6, 0, 9, 1, 0x61, 0x6e, 0x6f, 0x6e]) }],
        timeoutMs: 400,
        retries: 0,
      });

    it("drops an EAP reply without Message-Authenticator as an invalid reply: the exchange waits for one that verifies", async () => {
      answers = [false];
      const unsigned = await exchange();
      expect(unsigned).toMatchObject({ ok: false, kind: "timeout" });
      // The forged one first, the real one after: the real one ends the wait.
      answers = [false, true];
      const signed = await exchange();
      expect(signed.ok && signed.packet.code).toBe(RadiusCode.AccessChallenge);
      expect(signed.ok && signed.packet.messageAuthenticatorOffset).toBe(HEADER_LENGTH + 2);
    });
  });
});
