"use client";

import { useEffect, useRef, useState } from "react";
import { SecretOnce } from "../forms/copy-button";

// Asks the server once, on the first render of the new application's page, for the keys the create action left for
// it; the server forgets them as it answers, so they appear exactly once.
export function CreatedKeys({ claim }: { claim: () => Promise<{ ikey: string; skey: string } | undefined> }) {
  const [keys, setKeys] = useState<{ ikey: string; skey: string } | "gone" | undefined>();
  const asked = useRef(false);
  useEffect(() => {
    if (asked.current) return;
    asked.current = true;
    void claim().then((claimed) => setKeys(claimed ?? "gone"));
  }, [claim]);
  if (!keys || keys === "gone") return null;
  return (
    <div className="card" data-testid="created-keys" style={{ borderColor: "#abefc6" }}>
      <p role="status">
        <strong>Application created.</strong> Copy the secret key now: it is shown only this once.
      </p>
      <SecretOnce label="Integration key (ikey)" value={keys.ikey} testId="ikey" />
      <SecretOnce label="Secret key (skey)" value={keys.skey} testId="skey" />
    </div>
  );
}
