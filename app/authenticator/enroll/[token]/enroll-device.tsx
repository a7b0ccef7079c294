"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { saveDevice } from "../../device-store";

const withTimeout = <T,>(promise: Promise<T>, ms: number): Promise<T | undefined> =>
  Promise.race([promise, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms))]);

const base64UrlToBytes = (text: string): Uint8Array<ArrayBuffer> => {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
};

// A Web Push subscription where the browser can reach its push service; otherwise none, and the app relies on its
// live stream while open. Never blocks enrollment.
const subscribe = async (): Promise<PushSubscriptionJSON | null> => {
  try {
    if (!("serviceWorker" in navigator) || !("PushManager" in window)) return null;
    const registration = await withTimeout(navigator.serviceWorker.register("/sw.js", { scope: "/authenticator" }).then(() => navigator.serviceWorker.ready), 5000);
    if (!registration) return null;
    if ((await withTimeout(Notification.requestPermission(), 5000)) !== "granted") return null;
    const { publicKey } = (await (await fetch("/api/push/vapid")).json()) as { publicKey: string };
    const subscription = await withTimeout(registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: base64UrlToBytes(publicKey) }), 8000);
    return subscription?.toJSON() ?? null;
  } catch {
    return null;
  }
};

export function EnrollDevice({ token, username }: { token: string; username: string }) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      // The private key is created non-extractable: it can sign on this phone and nowhere else.
      const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
      const jwk = await crypto.subtle.exportKey("jwk", pair.publicKey);
      const subscription = await subscribe();
      const name = String(form.get("name") ?? "").trim() || "Phone";
      const response = await fetch("/api/push/devices", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ token, password: String(form.get("password") ?? ""), name, publicKeyJwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, subscription }),
      });
      const body = (await response.json()) as { deviceId?: string; username?: string; error?: string };
      if (!response.ok || !body.deviceId) throw new Error(body.error ?? "Enrollment failed");
      await saveDevice({ deviceId: body.deviceId, name, username: body.username ?? username, privateKey: pair.privateKey });
      router.push("/authenticator");
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
      setBusy(false);
    }
  };
  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate data-testid="enroll-device">
      {error && (
        <div className="banner error" role="alert">
          {error}
        </div>
      )}
      <p>
        Signed in as <strong>{username}</strong>? Confirm it is you with the password you use for the VPN. This phone then approves your sign-ins.
      </p>
      <div className="field">
        <label htmlFor="device-password">Password</label>
        <input id="device-password" name="password" type="password" autoComplete="current-password" />
      </div>
      <div className="field">
        <label htmlFor="device-name">Device name</label>
        <input id="device-name" name="name" type="text" placeholder="Pixel 8" />
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Setting up…" : "Use this phone"}
        </button>
      </div>
    </form>
  );
}
