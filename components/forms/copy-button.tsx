"use client";

import { useState } from "react";

export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // Clipboard needs a secure context; over plain http the admin selects the text instead.
      setCopied(false);
    }
  };
  return (
    <button type="button" onClick={() => void copy()} aria-live="polite">
      {copied ? "Copied" : label}
    </button>
  );
}

export function SecretOnce({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="field">
      <label>{label}</label>
      <div className="actions">
        <code className="secret-once" data-testid={testId}>
          {value}
        </code>
        <CopyButton text={value} />
      </div>
    </div>
  );
}
