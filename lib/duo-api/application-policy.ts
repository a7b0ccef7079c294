import type { TConfigSnapshot, TSnapshotApplication } from "../config/snapshot-schema";
import type { TEffectivePolicy } from "../policy/policy-schemas";
import { resolveEffectivePolicy } from "../policy/resolve-effective-policy";

// The application's effective policy from the snapshot, exactly as the RADIUS flow resolves it.
export const applicationPolicy = (snapshot: TConfigSnapshot, application: Pick<TSnapshotApplication, "id">): TEffectivePolicy =>
  resolveEffectivePolicy({ global: snapshot.globalPolicy, application: snapshot.policyOverrides.find((row) => row.applicationId === application.id) ?? null });
