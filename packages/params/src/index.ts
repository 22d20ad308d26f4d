// @sluice/params: the contract of a transform's parameters. Depends on zod only, so the engine,
// the job service, the SDK, the CLI and the dashboard's pages may all import it.
export * from './values.js';
export * from './schema.js';
export * from './issues.js';
export * from './fields.js';
export { dropUndefined, getPath, setPath } from './objects.js';
export { formatBytes } from './format.js';
