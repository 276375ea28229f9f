export * from './names';
export * from './credentials';
export * from './journal';
export * from './steps';
export * from './errors';
export { removeLeftover, sweepLeftovers, describeLeftover } from './cleanup';
export { checkCredentialsStep, sweepStep, type DeployDeps, type CredentialsCheckTarget } from './common';
export * from './functionRoute';
export * from './nativeRoute';
