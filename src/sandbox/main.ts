// Standalone entry point of the local CDF sandbox (npm run sandbox). Filled in by the sandbox work.
console.error('sandbox: not built yet');
process.exitCode = 1;
