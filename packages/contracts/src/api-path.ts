/**
 * Where the tRPC API is served under the service's URL: the server mounts it here, and the SDK,
 * the CLI and the dashboard call it here.
 */
export const TRPC_PATH = '/api/trpc';
