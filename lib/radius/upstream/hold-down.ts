// A server that did not answer is skipped for `holdMs`, so every login does not first wait out its timeout.
export type THoldDown = { isDown: (serverId: string) => boolean; markDown: (serverId: string) => void; markUp: (serverId: string) => void };

export const createHoldDown = (options: { holdMs: number; now?: () => number }): THoldDown => {
  const now = options.now ?? Date.now;
  const downUntil = new Map<string, number>();
  return {
    isDown: (serverId) => (downUntil.get(serverId) ?? 0) > now(),
    markDown: (serverId) => void downUntil.set(serverId, now() + options.holdMs),
    markUp: (serverId) => void downUntil.delete(serverId),
  };
};
