// Running a model command isolated from whoever starts it: its own uid, bubblewrap, or both.
export { launchCommand, type ModelSandbox, type UserSandbox, type BubblewrapSandbox, type Launch } from './model-sandbox.js';
export { SANDBOX_PATHS, findBubblewrap, sandboxPathConflict } from './bubblewrap.js';
export { leaseUid, tryLeaseUid, type UidLease, type UidRange } from './uid-lease.js';
export { endProcessesOf, uidHasProcesses } from './uid-processes.js';
export { prepareSandbox, prepareSandboxRoot, sweepSandboxes, type PreparedSandbox, type SandboxOptions } from './prepare-sandbox.js';
export { checkSandbox, bubblewrapVersion, sandboxAvailability, type SandboxAvailability } from './check-sandbox.js';
