// Real servers for tests: nothing here is a mock of the component it stands for.
export * from './s3-server.js';
export * from './model-servers.js';
export * from './temp.js';
