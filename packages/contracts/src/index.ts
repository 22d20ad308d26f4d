export * from './errors.js';
export * from './names.js';
export * from './transform.js';
export * from './models.js';
export * from './jobs.js';
export * from './preview.js';
export * from './comparisons.js';
export * from './site-path.js';
