import type { TAuthEventInput } from "../auth-log/auth-event-schema";
import { RadiusCode } from "../radius/constants";
import type { TAnswer, TDatagramOutcome } from "./process-auth-datagram";

type TAnswered = Extract<TDatagramOutcome, { kind: "answered" }>;

// Journal before answering: the reply waits for the fdatasync of the group holding its event (group commit, a few
// ms), so a crash cannot lose a decision the NAS was told. When the journal refuses the event (disk full or failing),
// an Access-Accept must not go out with no durable record of it: the NAS gets an `error` reject instead (the user is
// told of an internal error; nothing is granted that the log could lose). A reject or a challenge grants nothing and
// goes out as decided. Either way the event of what was sent is logged best effort (from memory to the database).
export const journalThenAnswer = async (options: {
  outcome: TAnswered;
  journal: (event: TAuthEventInput) => Promise<unknown>; // rejects when the event is not on disk
  record: (event: TAuthEventInput) => Promise<unknown>; // best effort
  log: (line: string) => void;
}): Promise<TAnswer> => {
  const { outcome } = options;
  const { event } = outcome;
  try {
    await options.journal(event);
    return { reply: outcome.reply, code: outcome.code, event };
  } catch (error) {
    const detail = `auth log journal write failed: ${error instanceof Error ? error.message : String(error)}`;
    // A fresh id for what is recorded now: the refused write may have left its line behind under the first one.
    const answer = outcome.code === RadiusCode.AccessAccept ? outcome.refuse(detail) : { reply: outcome.reply, code: outcome.code, event: { ...event, eventId: undefined } };
    void Promise.resolve()
      .then(() => options.record(answer.event))
      .catch((recordError: unknown) => options.log(`auth log: ${String(recordError)}`));
    return answer;
  }
};
