import { describe, expect, it } from "vitest";
import { formatJsonLine, formatSyslogMessage, octetCounted } from "./format-syslog-message";
import { authRecord } from "./to-siem-record";

const row = (username: string) => ({
  id: 41n,
  xactId: 900n,
  eventId: "0b8a6f53-8b3c-4a4e-9bd4-1f0e7a0f1c11",
  time: new Date("2026-12-02T01:02:03.456Z"),
  username,
  userId: null,
  callingStationId: "198.51.100.7",
  nasIp: "10.0.0.1",
  clientName: "asa",
  factor: "totp",
  result: "failure",
  reason: "invalid_passcode",
  application: { ikey: "DIXXXXXXXXXXXXXXXXXX", name: "VPN" },
  workerId: "w1",
  usernameRaw: username,
});

describe("formatSyslogMessage", () => {
  it("writes an RFC 5424 header, the ids as structured data, and Duo's authentication log as MSG", () => {
    const message = formatSyslogMessage({ record: authRecord(row("alice")), facility: "authpriv", hostname: "radius 1" });
    expect(message).toMatch(/^<84>1 2026-12-02T01:02:03\.456Z radius_1 twofold - authentication \[twofold@32473 stream="auth" id="41" xact="900" eventId="0b8a6f53-8b3c-4a4e-9bd4-1f0e7a0f1c11"\] \{/);
    const body = JSON.parse(message.slice(message.indexOf("] ") + 2)) as Record<string, unknown>;
    expect(body).toMatchObject({ txid: "0b8a6f53-8b3c-4a4e-9bd4-1f0e7a0f1c11", result: "denied", reason: "invalid_passcode", factor: "duo_mobile_passcode", user: { name: "alice" }, access_device: { ip: "198.51.100.7", hostname: "asa" }, application: { key: "DIXXXXXXXXXXXXXXXXXX", name: "VPN" }, timestamp: 1796173323, eventtype: "authentication" });
  });

  it("keeps a hostile username inside its own message: no newline, no forged header or structured data", () => {
    const hostile = `x"] [evil@1 a="b"]\n<13>1 - forged\r\u0000\u0085\u2028\u2029\ud800${"é".repeat(120)}`;
    const message = formatSyslogMessage({ record: authRecord(row(hostile)), facility: "auth", hostname: "h" });
    expect(message).not.toMatch(/[\r\n\u0000\u0085\u2028\u2029]/);
    expect(message.match(/\[twofold@32473 /g)).toHaveLength(1);
    const body = JSON.parse(message.slice(message.indexOf("] ") + 2)) as { user: { name: string } };
    expect(body.user.name).toBe(hostile);
    // Octet counting is in bytes, not UTF-16 units.
    const frame = octetCounted(message);
    const space = frame.indexOf(0x20);
    expect(Number(frame.subarray(0, space).toString())).toBe(frame.length - space - 1);
    expect(Number(frame.subarray(0, space).toString())).toBeGreaterThan(message.length);
    const line = formatJsonLine(authRecord(row(hostile)));
    expect(line.indexOf("\n")).toBe(line.length - 1);
    expect(JSON.parse(line)).toMatchObject({ user: { name: hostile }, siem: { stream: "auth", id: "41", xact: "900" } });
  });
});
