import type { TestProject } from "vitest/node";
import { startTestDatabase } from "./test-database";

// One PostgreSQL for the whole unit/integration run; tests seed their own uniquely named rows.
export default async function setup(project: TestProject) {
  const database = await startTestDatabase();
  project.provide("databaseUrl", database.url);
  project.provide("databasePort", database.port);
  project.provide("secretKey", database.secretKey);
  return async () => {
    await database.stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    databasePort: number;
    secretKey: string;
  }
}
