// One line of `twofold doctor`: skipped checks could not run (no database) and count as failures.
export type TDoctorCheck = { name: string; ok: boolean; detail: string; skipped?: boolean };

export const skipped = (name: string, why: string): TDoctorCheck => ({ name, ok: false, skipped: true, detail: `skipped: ${why}` });

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
