import type { TPrisma } from "../db";
import type { TActor } from "../auth/types";

// Names resolved to ids as the plan runs: an application created by one step is what a later client step names.
export type TIdMap = { applications: Map<string, string>; groups: Map<string, string> };

export type TPlanStep = {
  entity: "group" | "application" | "policy" | "RADIUS client" | "primary server";
  name: string;
  action: "create" | "update" | "unchanged" | "skip";
  changes: string[]; // "port: 1812 → 1645"; secrets only as "secret: set" / "secret: changed"
  problem?: string; // why a step is skipped
  run?: (context: { prisma: TPrisma; actor: TActor; ids: TIdMap }) => Promise<void>;
};

export type TConfigPlan = { steps: TPlanStep[]; notes: string[] };

const show = (value: unknown): string => (value === null || value === undefined ? "-" : Array.isArray(value) ? `[${value.join(", ")}]` : String(value));

// "field: before → after" for each field that differs (arrays compared in order, as they are stored).
export const diffFields = (before: Record<string, unknown> | undefined, after: Record<string, unknown>, fields: readonly string[]): string[] =>
  fields.flatMap((field) => {
    const next = after[field];
    if (!before) return next === null || next === undefined || (Array.isArray(next) && next.length === 0) ? [] : [`${field}: ${show(next)}`];
    const previous = before[field];
    return JSON.stringify(previous ?? null) === JSON.stringify(next ?? null) ? [] : [`${field}: ${show(previous)} → ${show(next)}`];
  });

export const stepFor = (options: { entity: TPlanStep["entity"]; name: string; exists: boolean; changes: string[]; run: NonNullable<TPlanStep["run"]> }): TPlanStep =>
  !options.exists
    ? { entity: options.entity, name: options.name, action: "create", changes: options.changes, run: options.run }
    : options.changes.length > 0
      ? { entity: options.entity, name: options.name, action: "update", changes: options.changes, run: options.run }
      : { entity: options.entity, name: options.name, action: "unchanged", changes: [] };

export const skip = (entity: TPlanStep["entity"], name: string, problem: string): TPlanStep => ({ entity, name, action: "skip", changes: [], problem });
