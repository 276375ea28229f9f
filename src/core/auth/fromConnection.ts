// Builds the token source a connection description calls for, given its secret from SecretStorage.
import { InputError } from '../errors';
import { type Logger } from '../log';
import { ClientCredentialsTokenSource } from './clientCredentials';
import { type DeviceCodePrompt, DeviceCodeTokenSource } from './deviceCode';
import { type ConnectionDescription } from './toolkitEnv';
import { StaticTokenSource, type TokenSource } from './tokenSource';

export interface TokenSourceContext {
  /** The client secret (client_credentials) or access token (token). */
  readonly secret?: string;
  /** Shows the device code sign-in prompt (device_code). */
  readonly onPrompt?: (prompt: DeviceCodePrompt) => void;
  /** device_code: a refresh token kept from an earlier sign-in, and where to keep new ones. */
  readonly refreshToken?: string;
  readonly onRefreshToken?: (token: string | undefined) => void;
  readonly logger?: Logger;
}

export function tokenSourceFor(connection: ConnectionDescription, context: TokenSourceContext): TokenSource {
  switch (connection.loginFlow) {
    case 'token':
      if (!context.secret) throw new InputError('This connection signs in with a token, and none is stored. Set the token again.');
      return new StaticTokenSource(context.secret);
    case 'client_credentials':
      if (!context.secret) throw new InputError('This connection needs its client secret, and none is stored. Enter the client secret again.');
      if (!connection.clientId) throw new InputError('This connection has no client id. Edit the connection and set it.');
      return new ClientCredentialsTokenSource({
        tokenUrl: connection.tokenUrl,
        tenantId: connection.tenantId,
        clientId: connection.clientId,
        clientSecret: context.secret,
        scopes: connection.scopes,
        audience: connection.audience,
        cluster: connection.cluster,
        baseUrl: connection.baseUrl,
        logger: context.logger,
      });
    case 'device_code':
    case 'interactive':
      if (!connection.clientId) throw new InputError('This connection has no client id. Edit the connection and set it.');
      if (!context.onPrompt) throw new TypeError('Device code sign-in needs an onPrompt callback.');
      return new DeviceCodeTokenSource({
        deviceAuthorizationUrl: connection.deviceAuthorizationUrl,
        tokenUrl: connection.tokenUrl,
        tenantId: connection.tenantId,
        clientId: connection.clientId,
        scopes: connection.scopes,
        audience: connection.audience,
        cluster: connection.cluster,
        baseUrl: connection.baseUrl,
        onPrompt: context.onPrompt,
        refreshToken: context.refreshToken,
        onRefreshToken: context.onRefreshToken,
        logger: context.logger,
      });
  }
}
