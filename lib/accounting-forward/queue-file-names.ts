// The files of the accounting forward queues in the spool directory, named after the process that owns them:
//   acct-forward-<owner>-<application id>.jsonl / .cursor            the owner's queue (lib/accounting-forward/open-forward-queue.ts)
//   acct-forward-<owner>-<application id>.a<seq>.jsonl / .cursor     a queue it took over from a stopped owner
//   acct-forward-<owner>-<application id>[.a<seq>].handoff[.tmp]     a queue being taken over (adopt-orphan-queues.ts)
//   acct-forward-<owner>.lock                                        flock(2)ed by whoever may touch the owner's queues
// Application ids are UUIDs, so the owner is whatever precedes the last one, dashes and all.
const PREFIX = "acct-forward-";
const PATTERN = /^acct-forward-(.+)-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\.a(\d{18}))?\.(jsonl|cursor|handoff|handoff\.tmp)$/;

export type TQueueFile = { file: string; queue: string; owner: string; applicationId: string; seq?: string; kind: "jsonl" | "cursor" | "handoff" | "handoff.tmp" };

export const queueName = (owner: string, applicationId: string, seq?: string) => `${PREFIX}${owner}-${applicationId}${seq ? `.a${seq}` : ""}`;

export const lockFileName = (owner: string) => `${PREFIX}${owner}.lock`;

export const parseQueueFile = (file: string): TQueueFile | undefined => {
  const match = PATTERN.exec(file);
  if (!match?.[1] || !match[2] || !match[4]) return undefined;
  const [, owner, applicationId, seq, kind] = match;
  return { file, queue: queueName(owner, applicationId, seq), owner, applicationId, seq, kind: kind as TQueueFile["kind"] };
};

// Taken-over queues are delivered oldest first (a fixed-width sequence sorts as text); the owner's own queue after them.
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
export const compareQueues = (a: Pick<TQueueFile, "applicationId" | "seq">, b: Pick<TQueueFile, "applicationId" | "seq">) =>
  compareText(a.applicationId, b.applicationId) || compareText(a.seq ?? "~", b.seq ?? "~");
