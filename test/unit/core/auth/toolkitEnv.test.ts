import assert from 'node:assert/strict';
import { tokenSourceFor } from '../../../../src/core/auth/fromConnection';
import { ClientCredentialsTokenSource } from '../../../../src/core/auth/clientCredentials';
import { COGNITE_PUBLIC_CLIENT_ID, readToolkitEnv } from '../../../../src/core/auth/toolkitEnv';
import { InputError } from '../../../../src/core/errors';
import { rememberSecret, scanned } from '../support/secretScan';

const SECRET = 'toolkit-env-client-secret-value';
rememberSecret(SECRET);

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof InputError, `expected InputError, got ${String(error)}`);
    return scanned(error);
  }
  assert.fail('expected an InputError');
}

describe('core/auth Toolkit .env import', () => {
  it('reads an Entra client-credentials .env into a description and keeps the secret apart', () => {
    const env = readToolkitEnv(
      [
        '# Cognite Toolkit',
        'CDF_CLUSTER=westeurope-1',
        'CDF_PROJECT=my-project',
        'LOGIN_FLOW=client_credentials',
        'IDP_CLIENT_ID=8d1f7c3a',
        `IDP_CLIENT_SECRET="${SECRET}"`,
        'IDP_TENANT_ID=0f4c2d7e-1a2b-4c3d-9e8f-112233445566',
      ].join('\n'),
    );
    assert.deepEqual(env.connection, {
      project: 'my-project',
      baseUrl: 'https://westeurope-1.cognitedata.com',
      cluster: 'westeurope-1',
      loginFlow: 'client_credentials',
      provider: 'entra_id',
      clientId: '8d1f7c3a',
      tenantId: '0f4c2d7e-1a2b-4c3d-9e8f-112233445566',
      tokenUrl: 'https://login.microsoftonline.com/0f4c2d7e-1a2b-4c3d-9e8f-112233445566/oauth2/v2.0/token',
      scopes: ['https://westeurope-1.cognitedata.com/.default'],
      audience: undefined,
    });
    assert.equal(env.secret, SECRET);
    assert.equal(JSON.stringify(env.connection).includes(SECRET), false);
  });

  it('expands ${VAR} references to earlier variables, as Toolkit .env templates use them', () => {
    const env = readToolkitEnv(
      [
        'CDF_CLUSTER=az-eastus-1',
        'CDF_PROJECT=p',
        'IDP_TENANT_ID=contoso.onmicrosoft.com',
        'IDP_TOKEN_URL=https://login.microsoftonline.com/${IDP_TENANT_ID}/oauth2/v2.0/token',
        'IDP_SCOPES=https://${CDF_CLUSTER}.cognitedata.com/.default',
        'IDP_CLIENT_ID=c',
        'IDP_CLIENT_SECRET=${FROM_ENVIRONMENT}',
      ].join('\n'),
      { FROM_ENVIRONMENT: SECRET },
    );
    assert.equal(env.connection.tokenUrl, 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token');
    assert.deepEqual(env.connection.scopes, ['https://az-eastus-1.cognitedata.com/.default']);
    assert.equal(env.secret, SECRET);
  });

  it('takes CDF_URL over the cluster, IDP_SCOPES as a comma list and IDP_AUDIENCE as given', () => {
    const env = readToolkitEnv(
      'CDF_URL=https://my.plink.westeurope-1.cognitedata.com\nCDF_PROJECT=p\nPROVIDER=other\nIDP_TOKEN_URL=https://idp.example.com/token\nIDP_SCOPES=a, b\nIDP_AUDIENCE=https://aud\nIDP_CLIENT_ID=c\nIDP_CLIENT_SECRET=' + SECRET,
    );
    assert.equal(env.connection.baseUrl, 'https://my.plink.westeurope-1.cognitedata.com');
    assert.equal(env.connection.cluster, 'westeurope-1');
    assert.deepEqual(env.connection.scopes, ['a', 'b']);
    assert.equal(env.connection.audience, 'https://aud');
  });

  it('uses the Auth0 and Cognite IdP defaults of the Toolkit', () => {
    const auth0 = readToolkitEnv(`CDF_CLUSTER=api\nCDF_PROJECT=p\nPROVIDER=auth0\nIDP_TOKEN_URL=https://x.auth0.com/oauth/token\nIDP_CLIENT_ID=c\nIDP_CLIENT_SECRET=${SECRET}`);
    assert.deepEqual(auth0.connection.scopes, ['IDENTITY', 'user_impersonation']);
    assert.equal(auth0.connection.audience, 'https://p.fusion.cognite.com/p');
    const cdf = readToolkitEnv(`CDF_CLUSTER=api\nCDF_PROJECT=p\nPROVIDER=cdf\nIDP_CLIENT_ID=c\nIDP_CLIENT_SECRET=${SECRET}`);
    assert.equal(cdf.connection.tokenUrl, 'https://auth.cognite.com/oauth2/token');
    assert.deepEqual(cdf.connection.scopes, []);
  });

  it('reads a device-code .env with only a tenant id, using the Cognite public client', () => {
    const env = readToolkitEnv('CDF_CLUSTER=westeurope-1\nCDF_PROJECT=p\nLOGIN_FLOW=device_code\nIDP_TENANT_ID=t1');
    assert.equal(env.secret, undefined);
    assert.equal(env.connection.clientId, COGNITE_PUBLIC_CLIENT_ID);
    assert.equal(env.connection.deviceAuthorizationUrl, 'https://login.microsoftonline.com/t1/oauth2/v2.0/devicecode');
    assert.ok(env.connection.scopes.includes('offline_access'));
  });

  it('reads a token .env and keeps CDF_TOKEN as the secret', () => {
    const env = readToolkitEnv(`CDF_CLUSTER=api\nCDF_PROJECT=p\nLOGIN_FLOW=token\nCDF_TOKEN=${SECRET}`);
    assert.equal(env.connection.loginFlow, 'token');
    assert.equal(env.secret, SECRET);
  });

  it('maps interactive login to device code with a warning', () => {
    const env = readToolkitEnv('CDF_CLUSTER=api\nCDF_PROJECT=p\nLOGIN_FLOW=interactive\nIDP_TENANT_ID=t\nIDP_CLIENT_ID=c');
    assert.equal(env.connection.loginFlow, 'device_code');
    assert.match(env.warnings[0], /interactive/);
  });

  it('names a missing variable, what to set and where', () => {
    assert.match(inputError(() => readToolkitEnv('CDF_CLUSTER=api')).message, /^CDF_PROJECT: missing\. Set it/);
    assert.match(inputError(() => readToolkitEnv(`CDF_CLUSTER=api\nCDF_PROJECT=p\nIDP_TENANT_ID=t\nIDP_CLIENT_ID=c`)).message, /IDP_CLIENT_SECRET: missing/);
    const bad = inputError(() => readToolkitEnv('CDF_PROJECT=p\n\nLOGIN_FLOW=sso\nCDF_CLUSTER=api'));
    assert.match(bad.message, /LOGIN_FLOW: "sso" is not one of/);
    assert.equal(bad.location?.line, 3);
  });

  it('refuses a plain-http CDF_URL that is not loopback, without echoing any secret', () => {
    const error = inputError(() => readToolkitEnv(`CDF_URL=http://cdf.example.com\nCDF_PROJECT=p\nIDP_CLIENT_ID=c\nIDP_CLIENT_SECRET=${SECRET}\nIDP_TENANT_ID=t`));
    assert.match(error.message, /CDF_URL: .*must use https/);
    assert.equal(error.message.includes(SECRET), false);
  });

  it('builds the token source the description calls for', () => {
    const env = readToolkitEnv(`CDF_CLUSTER=api\nCDF_PROJECT=p\nIDP_TENANT_ID=t\nIDP_CLIENT_ID=c\nIDP_CLIENT_SECRET=${SECRET}`);
    const source = tokenSourceFor(env.connection, { secret: env.secret });
    assert.ok(source instanceof ClientCredentialsTokenSource);
    assert.deepEqual(source.scopes, ['https://api.cognitedata.com/.default']);
    assert.match(inputError(() => tokenSourceFor(env.connection, {})).message, /client secret/);
  });
});
