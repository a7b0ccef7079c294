import { isContentError } from "./is-content-error";

export type TInsertOutcome = { inserted: number; quarantined: number };

// Inserts `rows` with one statement if it can; when the database refuses the statement for its content, halves it
// until each refused row stands alone, inserts every other row (order kept) and hands the refused ones to
// `quarantine`. k bad rows in n cost about k·log2(n) extra statements, the common all-good case exactly one. A row may
// get one more try in a `relax`ed form (e.g. a foreign key to a user deleted meanwhile, set to null) before it is
// quarantined. Any other error (the database away) is thrown: the caller keeps the rows and retries.
// Each statement is atomic and inserts are idempotent, so a retried half never duplicates what already committed.
export const insertOrQuarantine = async <T>(options: {
  rows: T[];
  insert: (rows: T[]) => Promise<void>;
  relax?: (row: T, error: unknown) => T | undefined;
  quarantine: (row: T, error: unknown) => Promise<void>;
}): Promise<TInsertOutcome> => {
  const outcome: TInsertOutcome = { inserted: 0, quarantined: 0 };
  const attempt = async (rows: T[]): Promise<void> => {
    if (rows.length === 0) return;
    try {
      await options.insert(rows);
      outcome.inserted += rows.length;
      return;
    } catch (error) {
      if (!isContentError(error)) throw error;
      if (rows.length > 1) {
        const middle = Math.ceil(rows.length / 2);
        await attempt(rows.slice(0, middle));
        await attempt(rows.slice(middle));
        return;
      }
      const row = rows[0]!;
      const relaxed = options.relax?.(row, error);
      if (relaxed !== undefined) {
        try {
          await options.insert([relaxed]);
          outcome.inserted += 1;
          return;
        } catch (retryError) {
          if (!isContentError(retryError)) throw retryError;
        }
      }
      await options.quarantine(row, error);
      outcome.quarantined += 1;
    }
  };
  await attempt(options.rows);
  return outcome;
};
