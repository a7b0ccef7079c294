import pg from "pg";
import { writeFileSync } from "node:fs";
import { startTestDatabase } from "../lib/testing/test-database";
import { createIndexes, dropAuthEventIndexes, seedAuthEvents, seedDirectory } from "./auth-log-seed";
const main = async () => {
  const db = await startTestDatabase();
  const c = new pg.Client({ connectionString: db.url }); await c.connect();
  await seedDirectory(c);
  const defs = await dropAuthEventIndexes(c);
  await seedAuthEvents({ client: c, first: 1, last: 3_000_000, total: 3_000_000, days: 430, end: new Date() });
  await createIndexes(c, defs);
  await c.query(`VACUUM (ANALYZE) "AuthEvent"`);
  writeFileSync("/tmp/j-exp-url", db.url);
  console.log("READY", db.url);
  await new Promise(() => undefined);
};
void main();
