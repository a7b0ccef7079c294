"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { z } from "zod";
import { pushDecisionMessage, streamChallengeMessage, ZPushNoticeSchema, type TPushDecision, type TPushNotice } from "@/lib/push/push-schemas";
import { loadDevice, signText, type TStoredDevice } from "./device-store";

type TState = { kind: "loading" } | { kind: "none" } | { kind: "ready"; device: TStoredDevice };
// The answer just given: green only for an approval; a denial is not a success to celebrate.
type TResult = { text: string; tone: "ok" | "warn" | "error" };
const RESULTS = {
  approve: { text: "Approved.", tone: "ok" },
  deny: { text: "Denied.", tone: "warn" },
  fraud: { text: "Denied and reported to your helpdesk.", tone: "error" },
} as const satisfies Record<TPushDecision, TResult>;

// The phone: pending sign-ins arrive live over SSE (and as notifications through the service worker where a push
// service is reachable); each answer is signed with the device key.
export function AuthenticatorApp() {
  const [state, setState] = useState<TState>({ kind: "loading" });
  const [pending, setPending] = useState<TPushNotice[]>([]);
  const [connected, setConnected] = useState(false);
  const [message, setMessage] = useState<TResult>();
  // Requests already shown: the result banner is about the last answer, so it goes when a new request arrives.
  const seen = useRef(new Set<string>());

  useEffect(() => {
    void loadDevice().then((device) => setState(device ? { kind: "ready", device } : { kind: "none" }));
    if ("serviceWorker" in navigator) void navigator.serviceWorker.register("/sw.js", { scope: "/authenticator" }).catch(() => undefined);
  }, []);

  useEffect(() => {
    if (state.kind !== "ready") return;
    const { device } = state;
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    // Each connection signs a fresh challenge (the server refuses signatures older than five minutes).
    const connect = async () => {
      const ts = Date.now();
      const sig = await signText(device.privateKey, streamChallengeMessage({ deviceId: device.deviceId, timestampMs: ts }));
      if (stopped) return;
      source = new EventSource(`/api/push/stream?device=${device.deviceId}&ts=${ts}&sig=${sig}`);
      source.onopen = () => setConnected(true);
      source.addEventListener("pending", (event) => {
        const parsed = z.array(ZPushNoticeSchema).safeParse(JSON.parse((event as MessageEvent<string>).data));
        if (!parsed.success) return;
        const fresh = parsed.data.filter((notice) => !seen.current.has(notice.requestId));
        for (const notice of fresh) seen.current.add(notice.requestId);
        if (fresh.length > 0) setMessage(undefined);
        setPending(parsed.data);
      });
      source.onerror = () => {
        setConnected(false);
        source?.close();
        if (!stopped) retry = setTimeout(() => void connect(), 2000);
      };
    };
    void connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [state]);

  const answer = useCallback(
    async (notice: TPushNotice, decision: TPushDecision) => {
      if (state.kind !== "ready") return;
      const { device } = state;
      const number = notice.verifyNumber;
      const signature = await signText(device.privateKey, pushDecisionMessage({ requestId: notice.requestId, decision, number }));
      const response = await fetch("/api/push/decision", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ deviceId: device.deviceId, requestId: notice.requestId, decision, number, signature }),
      });
      setPending((list) => list.filter((item) => item.requestId !== notice.requestId));
      if (response.ok) return setMessage(RESULTS[decision]);
      const body = z.object({ error: z.string() }).safeParse(await response.json().catch(() => null));
      setMessage({ text: body.success ? body.data.error : "That did not work.", tone: "error" });
    },
    [state],
  );

  if (state.kind === "loading") return <p>Loading…</p>;
  if (state.kind === "none") {
    return (
      <>
        <h1>Twofold Authenticator</h1>
        <p data-testid="authenticator-not-enrolled">This phone is not set up yet. Open the enrollment link from your helpdesk or VPN on this phone.</p>
      </>
    );
  }
  return (
    <>
      <h1>Twofold Authenticator</h1>
      <p className="hint">
        {state.device.name} · {state.device.username} · <span data-testid="authenticator-connection">{connected ? "connected" : "connecting…"}</span>
      </p>
      {message && (
        <div className={`banner ${message.tone}`} role="status" data-testid="authenticator-message" data-tone={message.tone}>
          {message.text}
        </div>
      )}
      {pending.length === 0 ? (
        <p data-testid="authenticator-idle">No sign-in requests.</p>
      ) : (
        pending.map((notice) => (
          <section key={notice.requestId} className="form" data-testid="push-request" data-request-id={notice.requestId}>
            <h2>Sign-in request{notice.application ? ` for ${notice.application}` : ""}</h2>
            <p>
              {new Date(notice.time).toLocaleTimeString()} · from {notice.callingStationId ?? "unknown address"} via {notice.nasIp ?? "unknown NAS"}
            </p>
            {notice.details && notice.details.length > 0 && (
              <dl data-testid="push-details">
                {notice.details.map((detail, index) => (
                  <div key={`${index}:${detail.key}`}>
                    <dt>{detail.key}</dt>
                    <dd>{detail.value}</dd>
                  </div>
                ))}
              </dl>
            )}
            {notice.verifyNumber && (
              <p>
                Type this number in your VPN client: <strong data-testid="push-verify-number">{notice.verifyNumber}</strong>
              </p>
            )}
            <div className="actions">
              <button type="button" className="primary" onClick={() => void answer(notice, "approve")}>
                Approve
              </button>
              <button type="button" onClick={() => void answer(notice, "deny")}>
                Deny
              </button>
              <button type="button" className="danger" onClick={() => void answer(notice, "fraud")}>
                Deny — this wasn’t me
              </button>
            </div>
          </section>
        ))
      )}
    </>
  );
}
