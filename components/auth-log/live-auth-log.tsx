"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { TAuthEventView } from "@/lib/auth-log/auth-event-view";
import { AuthEventTable } from "./auth-event-table";

const MAX_ROWS = 500;

// The first page comes server-rendered; new events stream in over SSE into the react-query cache. While the reader
// is scrolled down (or pressed pause) new events wait in a buffer so rows do not jump under their eyes.
export function LiveAuthLog({ initial, query, live }: { initial: TAuthEventView[]; query: string; live: boolean }) {
  const queryClient = useQueryClient();
  const queryKey = ["auth-log", query];
  const { data } = useQuery({
    queryKey,
    queryFn: async (): Promise<TAuthEventView[]> => {
      const response = await fetch(`/api/auth-events?${query}`);
      if (!response.ok) throw new Error(`auth log: HTTP ${response.status}`);
      return ((await response.json()) as { events: TAuthEventView[] }).events;
    },
    initialData: initial,
    staleTime: Infinity,
  });
  const [paused, setPaused] = useState(false);
  const [scrolledAway, setScrolledAway] = useState(false);
  const [buffer, setBuffer] = useState<TAuthEventView[]>([]);
  const [connected, setConnected] = useState(false);
  const holding = useRef(false);
  holding.current = paused || scrolledAway;

  useEffect(() => {
    const onScroll = () => setScrolledAway(window.scrollY > 120);
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => window.removeEventListener("scroll", onScroll);
  }, []);

  useEffect(() => {
    if (!live) return;
    const newest = initial[0];
    const source = new EventSource(`/api/auth-events/stream?${query}${newest ? `&after=${encodeURIComponent(`${newest.time}_${newest.id}`)}` : ""}`);
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.onmessage = (message) => {
      const events = (JSON.parse(message.data as string) as TAuthEventView[]).filter(Boolean);
      if (holding.current) setBuffer((current) => [...events, ...current].slice(0, MAX_ROWS));
      else queryClient.setQueryData<TAuthEventView[]>(["auth-log", query], (current = []) => [...events, ...current].slice(0, MAX_ROWS));
    };
    return () => source.close();
    // initial is the server's first page for this query; a new query remounts the component.
  }, [live, query, queryClient]);

  const flush = () => {
    queryClient.setQueryData<TAuthEventView[]>(["auth-log", query], (current = []) => [...buffer, ...current].slice(0, MAX_ROWS));
    setBuffer([]);
    setPaused(false);
    window.scrollTo({ top: 0 });
  };

  return (
    <>
      {live && (
        <div className="actions" style={{ marginBottom: 8 }}>
          <span className={`badge ${connected ? "ok" : "warn"}`} data-testid="live-status">
            {connected ? (holding.current ? "live · paused" : "live") : "connecting…"}
          </span>
          <button type="button" onClick={() => (paused ? flush() : setPaused(true))}>{paused ? "Resume" : "Pause"}</button>
          {buffer.length > 0 && (
            <button type="button" className="primary" onClick={flush}>
              Show {buffer.length} new
            </button>
          )}
        </div>
      )}
      <AuthEventTable testId="auth-log" events={data} empty="No authentications match." />
    </>
  );
}
