from cognite.client import record


class OAuthClientCredentials:
    def __init__(self, token_url, client_id, client_secret, scopes, **token_custom_args):
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.scopes = scopes
        self.token_custom_args = token_custom_args
        record(
            "oauth",
            token_url=token_url,
            client_id=client_id,
            has_client_secret=bool(client_secret),
            scopes=scopes,
            token_custom_args=token_custom_args,
        )
