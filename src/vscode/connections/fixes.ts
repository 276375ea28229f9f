// What a user can do about a failure to reach CDF, decided from the error's type and fields (never its
// text): the tree's error item offers it, and the connection wizard's sign-in test goes back to it.
import { AuthError, CdfApiError, InputError, NetworkError, TimeoutError } from '../../core/errors';

export type ConnectionFixKind = 'secret' | 'connection' | 'capabilities' | 'signIn';

export interface ConnectionFix {
  readonly kind: ConnectionFixKind;
  /** contextValue token of an error item (package.json's menus match it). */
  readonly token: string;
  readonly command: string;
  readonly title: string;
  /** One sentence for a tooltip: what to do. */
  readonly hint: string;
}

const FIXES: Record<ConnectionFixKind, ConnectionFix> = {
  secret: {
    kind: 'secret',
    token: 'fixSecret',
    command: 'cdfWorkflows.changeSecret',
    title: 'Change Secret...',
    hint: 'Enter the client secret again with *Change Secret...*, or check the client id and token URL with *Edit Connection...*.',
  },
  signIn: {
    kind: 'signIn',
    token: 'fixSignIn',
    command: 'cdfWorkflows.signIn',
    title: 'Sign In with Device Code...',
    hint: 'Sign in again with *Sign In with Device Code...*.',
  },
  connection: {
    kind: 'connection',
    token: 'fixConnection',
    command: 'cdfWorkflows.editConnection',
    title: 'Edit Connection...',
    hint: 'Check the base URL, token URL and project with *Edit Connection...*, then *Retry Loading*.',
  },
  capabilities: {
    kind: 'capabilities',
    token: 'fixCapabilities',
    command: 'cdfWorkflows.testConnection',
    title: 'Test Connection',
    hint: '*Test Connection* lists the capabilities your identity lacks; a CDF admin adds them to one of its groups.',
  },
};

/**
 * The fix for an error met while talking to a connection, given how the connection signs in; undefined
 * when retrying is all there is to do (throttling, a server error).
 */
export function connectionFixOf(error: unknown, authType: 'clientCredentials' | 'deviceCode' | 'token' | undefined): ConnectionFix | undefined {
  if (error instanceof AuthError) {
    if (error.reason === 'token-endpoint') return FIXES.connection;
    if (authType === 'deviceCode') return FIXES.signIn;
    if (error.reason === 'invalid-client' || error.reason === 'expired' || error.reason === 'rejected-token') return FIXES.secret;
    return FIXES.connection;
  }
  if (error instanceof CdfApiError) {
    if (error.reason === 'unauthorized') return authType === 'deviceCode' ? FIXES.signIn : authType === 'clientCredentials' || authType === 'token' ? FIXES.secret : FIXES.connection;
    if (error.reason === 'forbidden') return FIXES.capabilities;
    if (error.reason === 'not-found' && error.status === 404) return FIXES.connection;
    return undefined;
  }
  // InputError here comes from the connection's own settings (no project, a plain-http URL, ...).
  if (error instanceof NetworkError || error instanceof TimeoutError || error instanceof InputError) return FIXES.connection;
  return undefined;
}
