import { expect, it } from "vitest";
import { readWorkerHealth } from "./read-worker-health";

it("reads config problems and drops per client and reason from heartbeat stats", () => {
  const stats = {
    dropped: { bad_message_authenticator: 2, unknown_client: 5 },
    droppedByClient: { "c-1": { name: "asa-1", total: 2, reasons: { bad_message_authenticator: 2 } } },
    configProblems: [{ table: "RadiusClient", rowId: "c-2", field: "secret", message: "RadiusClient c-2: secret: cannot be decrypted", skipped: true }],
  };
  expect(readWorkerHealth(stats)).toEqual({ dropped: stats.dropped, droppedByClient: stats.droppedByClient, configProblems: stats.configProblems });
});

it("shows nothing rather than garbage for stats of another shape, part by part", () => {
  expect(readWorkerHealth({})).toEqual({ configProblems: [], droppedByClient: {}, dropped: {} });
  const hostile = readWorkerHealth({
    dropped: { bad_length: -1 },
    droppedByClient: { x: { name: 7, total: "many", reasons: [] } },
    configProblems: "<script>alert(1)</script>",
    other: { deep: [1, 2, { a: null }] },
  });
  expect(hostile).toEqual({ configProblems: [], droppedByClient: {}, dropped: {} });
  // One good part survives a bad neighbour; names with markup or control bytes stay text (React escapes them).
  const mixed = readWorkerHealth({ droppedByClient: { y: { name: "<b>\u0000\u202e", total: 1, reasons: { bad_password: 1 } } }, configProblems: [{ table: 1 }] });
  expect(mixed.droppedByClient.y?.name).toBe("<b>\u0000\u202e");
  expect(mixed.configProblems).toEqual([]);
});
