import { inject } from "vitest";

// Every test file sees the run's database and a secret key through the same variables production uses.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.TWOFOLD_SECRET_KEY = inject("secretKey");
process.env.TWOFOLD_TEST_PG_PORT = String(inject("databasePort"));
