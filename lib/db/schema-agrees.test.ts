import { readFileSync } from "node:fs";
import path from "node:path";
import { getDMMF } from "@prisma/internals";
import pg from "pg";
import { describe, expect, it } from "vitest";

const expectedUdt: Record<string, string[]> = {
  String: ["text", "uuid", "varchar"],
  Int: ["int4"],
  BigInt: ["int8"],
  Boolean: ["bool"],
  DateTime: ["timestamp"],
  Json: ["jsonb"],
};

// Migrations are hand-written SQL; this proves they give every Prisma model and field a matching table and column.
describe("prisma schema and migrations agree", () => {
  it("has every model's columns with compatible types and nullability", async () => {
    const datamodel = readFileSync(path.resolve(import.meta.dirname, "../../prisma/schema.prisma"), "utf8");
    const dmmf = await getDMMF({ datamodel });
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    const { rows } = await client.query<{ table_name: string; column_name: string; udt_name: string; is_nullable: string }>(
      `SELECT table_name, column_name, udt_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    await client.end();
    const columns = new Map(rows.map((row) => [`${row.table_name}.${row.column_name}`, row]));
    const problems: string[] = [];
    for (const model of dmmf.datamodel.models) {
      for (const field of model.fields) {
        if (field.kind === "object") continue;
        const column = columns.get(`${model.dbName ?? model.name}.${field.dbName ?? field.name}`);
        if (!column) {
          problems.push(`${model.name}.${field.name}: no column`);
          continue;
        }
        const udt = column.udt_name.replace(/^_/, "");
        const allowed = field.kind === "enum" ? [field.type] : (expectedUdt[field.type] ?? []);
        if (!allowed.includes(udt)) problems.push(`${model.name}.${field.name}: ${column.udt_name} is not ${field.type}`);
        if (field.isList !== column.udt_name.startsWith("_")) problems.push(`${model.name}.${field.name}: list mismatch`);
        if (!field.isList && field.isRequired !== (column.is_nullable === "NO")) problems.push(`${model.name}.${field.name}: nullability`);
      }
    }
    expect(problems).toEqual([]);
    expect(dmmf.datamodel.models.length).toBeGreaterThan(10);
  });
});
