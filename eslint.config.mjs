import tseslint from "typescript-eslint";

const restrict = (patterns, message) => ({
  "no-restricted-imports": ["error", { patterns: patterns.map((group) => ({ group, message })) }],
});

export default tseslint.config(
  { ignores: ["node_modules/**", ".next/**", ".next-*/**", "lib/db/generated/**", "dist/**", ".data/**", ".data-*/**", "scratch/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  // Layers: lib/ is framework-free domain code; worker/ is sockets and timers over lib/; components/ never touch the database.
  {
    files: ["lib/**/*.ts", "worker/**/*.ts"],
    rules: restrict(
      [["@/app/*", "@/components/*", "**/app/*", "**/components/*", "next", "next/*", "react", "react-dom", "server-only"]],
      "lib/ and worker/ must not import app/, components/, Next or React.",
    ),
  },
  {
    files: ["components/**/*.ts", "components/**/*.tsx"],
    rules: restrict([["@/lib/db", "@/lib/db/*", "**/lib/db", "**/lib/db/*", "pg", "@prisma/*"]], "components/ must not reach the database; use a server action or route in app/."),
  },
);
