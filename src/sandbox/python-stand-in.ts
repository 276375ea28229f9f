// A small stand-in for the parts of cognite-sdk that function handlers (and the trigger handler the
// schedule wizard generates) use, plus the bootstrap that runs a handler for one call. Embedded as strings
// so the single-file bundle never reads src/ at runtime; the runner writes them to a temp folder.
//
// The stand-in talks plain HTTP (urllib) to the sandbox. It is not the SDK: only these are covered:
//   CogniteClient(ClientConfig(...)), client.config, client.get/post/put,
//   client.iam.sessions.create, client.workflows.executions.run / trigger / retrieve_detailed / list /
//   cancel / retry, client.workflows.tasks.update, client.functions.call,
//   credentials Token, OAuthClientCredentials; data_classes ClientCredentials; exceptions CogniteAPIError.

const INIT = String.raw`
"""Sandbox stand-in for the cognite namespace package."""
`;

const CLIENT_INIT = String.raw`
"""Sandbox stand-in for cognite.client (a small subset of cognite-sdk)."""
from cognite.client.config import ClientConfig, global_config
from cognite.client._cognite_client import CogniteClient

__version__ = "0.0.0-sandbox"
__all__ = ["ClientConfig", "CogniteClient", "global_config"]
`;

const CONFIG = String.raw`
class _GlobalConfig:
    def __init__(self):
        self.default_client_config = None
        self.disable_gzip = True
        self.max_retries = 0


global_config = _GlobalConfig()


class ClientConfig:
    def __init__(self, client_name, project, credentials, api_subversion=None, base_url=None, max_workers=None,
                 headers=None, timeout=None, file_transfer_timeout=None, debug=False):
        if not client_name:
            raise ValueError("client_name is required")
        if not project:
            raise ValueError("project is required")
        if credentials is None:
            raise ValueError("credentials are required")
        self.client_name = client_name
        self.project = project
        self.credentials = credentials
        self.api_subversion = api_subversion or "20230101"
        self.base_url = (base_url or "https://api.cognitedata.com").rstrip("/")
        self.max_workers = max_workers
        self.headers = dict(headers or {})
        self.timeout = timeout or 60
        self.file_transfer_timeout = file_transfer_timeout
        self.debug = debug

    @classmethod
    def default(cls, project, cdf_cluster, credentials, client_name=None):
        return cls(client_name or "cognite-sdk", project, credentials, base_url="https://%s.cognitedata.com" % cdf_cluster)
`;

const EXCEPTIONS = String.raw`
class CogniteException(Exception):
    pass


class CogniteAPIError(CogniteException):
    def __init__(self, message, code=None, x_request_id=None, missing=None, duplicated=None, extra=None):
        self.message = message
        self.code = code
        self.x_request_id = x_request_id
        self.missing = missing
        self.duplicated = duplicated
        self.extra = extra or {}
        super().__init__(self.__str__())

    def __str__(self):
        text = "%s | code: %s | X-Request-ID: %s" % (self.message, self.code, self.x_request_id)
        if self.missing:
            text += "\nMissing: %s" % (self.missing,)
        if self.duplicated:
            text += "\nDuplicated: %s" % (self.duplicated,)
        return text


class CogniteAuthError(CogniteException):
    pass


class CogniteProjectAccessError(CogniteAPIError):
    pass
`;

const CREDENTIALS = String.raw`
import base64
import json
import time
import urllib.error
import urllib.parse
import urllib.request

from cognite.client.exceptions import CogniteAuthError


class CredentialProvider:
    def authorization_header(self):
        raise NotImplementedError


class Token(CredentialProvider):
    def __init__(self, token):
        if callable(token):
            self._token_factory = token
        else:
            self._token_factory = lambda: token

    def authorization_header(self):
        return "Authorization", "Bearer %s" % self._token_factory()


class OAuthClientCredentials(CredentialProvider):
    def __init__(self, token_url, client_id, client_secret, scopes=None, token_expiry_leeway_seconds=30, **token_custom_args):
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.scopes = [s for s in (scopes or []) if s]
        self.token_expiry_leeway_seconds = token_expiry_leeway_seconds
        self.token_custom_args = token_custom_args
        self._token = None
        self._expires_at = 0.0

    @classmethod
    def default_for_entra_id(cls, tenant_id, client_id, client_secret, cdf_cluster, **kwargs):
        return cls("https://login.microsoftonline.com/%s/oauth2/v2.0/token" % tenant_id, client_id, client_secret,
                   ["https://%s.cognitedata.com/.default" % cdf_cluster], **kwargs)

    def _fetch(self):
        form = {"grant_type": "client_credentials", "client_id": self.client_id, "client_secret": self.client_secret}
        if self.scopes:
            form["scope"] = " ".join(self.scopes)
        for k, v in self.token_custom_args.items():
            form[k] = str(v)
        request = urllib.request.Request(self.token_url, data=urllib.parse.urlencode(form).encode(), method="POST",
                                         headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                body = json.loads(response.read().decode() or "{}")
        except urllib.error.HTTPError as err:
            try:
                detail = json.loads(err.read().decode() or "{}")
            except ValueError:
                detail = {}
            raise CogniteAuthError("Error generating access token: %s, %s, %s" % (
                detail.get("error", err.code), err.code, detail.get("error_description", ""))) from None
        except urllib.error.URLError as err:
            raise CogniteAuthError("Could not reach the token URL %s: %s" % (self.token_url, err.reason)) from None
        self._token = body["access_token"]
        self._expires_at = time.time() + float(body.get("expires_in", 3600))

    def authorization_header(self):
        if self._token is None or time.time() > self._expires_at - self.token_expiry_leeway_seconds:
            self._fetch()
        return "Authorization", "Bearer %s" % self._token
`;

const DATA_CLASSES_INIT = String.raw`
from cognite.client.data_classes.iam import ClientCredentials
from cognite.client.data_classes.workflows import WorkflowExecution, WorkflowExecutionDetailed, WorkflowTaskExecution

__all__ = ["ClientCredentials", "WorkflowExecution", "WorkflowExecutionDetailed", "WorkflowTaskExecution"]
`;

const DATA_CLASSES_IAM = String.raw`
class ClientCredentials:
    def __init__(self, client_id, client_secret):
        self.client_id = client_id
        self.client_secret = client_secret

    def dump(self, camel_case=True):
        if camel_case:
            return {"clientId": self.client_id, "clientSecret": self.client_secret}
        return {"client_id": self.client_id, "client_secret": self.client_secret}

    def __repr__(self):
        return "ClientCredentials(client_id=%r, client_secret='***')" % self.client_id


class CreatedSession:
    def __init__(self, id, status, nonce, type=None, client_id=None):
        self.id = id
        self.status = status
        self.nonce = nonce
        self.type = type
        self.client_id = client_id

    @classmethod
    def _load(cls, item):
        return cls(item["id"], item.get("status"), item["nonce"], item.get("type"), item.get("clientId"))
`;

const DATA_CLASSES_WORKFLOWS = String.raw`
import re


def _snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class _Loaded:
    _fields = ()

    def __init__(self, raw):
        self._raw = raw
        for key in self._fields:
            setattr(self, _snake(key), raw.get(key))

    def dump(self, camel_case=True):
        if camel_case:
            return dict(self._raw)
        return {_snake(k): v for k, v in self._raw.items()}

    def __repr__(self):
        shown = ", ".join("%s=%r" % (_snake(k), self._raw.get(k)) for k in self._fields if k in self._raw)
        return "%s(%s)" % (type(self).__name__, shown)


class WorkflowExecution(_Loaded):
    _fields = ("id", "workflowExternalId", "version", "status", "engineExecutionId", "createdTime", "startTime",
               "endTime", "reasonForIncompletion", "metadata")

    def __init__(self, raw):
        super().__init__(raw)
        # Like the SDK, statuses are lower case on the data class.
        if isinstance(self.status, str):
            self.status = self.status.lower()

    @classmethod
    def _load(cls, raw):
        return cls(raw)


class WorkflowTaskExecution(_Loaded):
    _fields = ("id", "externalId", "status", "taskType", "startTime", "endTime", "input", "output",
               "reasonForIncompletion", "parentTaskExternalId")

    def __init__(self, raw):
        super().__init__(raw)
        if isinstance(self.status, str):
            self.status = self.status.lower()


class WorkflowExecutionDetailed(WorkflowExecution):
    _fields = WorkflowExecution._fields + ("input", "workflowDefinition")

    def __init__(self, raw):
        super().__init__(raw)
        self.executed_tasks = [WorkflowTaskExecution(t) for t in raw.get("executedTasks", [])]
`;

const COGNITE_CLIENT = String.raw`
import json
import urllib.error
import urllib.parse
import urllib.request

from cognite.client.config import ClientConfig, global_config
from cognite.client.data_classes.iam import ClientCredentials, CreatedSession
from cognite.client.data_classes.workflows import WorkflowExecution, WorkflowExecutionDetailed, WorkflowTaskExecution
from cognite.client.exceptions import CogniteAPIError, CogniteProjectAccessError


def _quote(value):
    return urllib.parse.quote(str(value), safe="")


class _Api:
    def __init__(self, client):
        self._client = client


class SessionsAPI(_Api):
    def create(self, client_credentials=None, session_type="DEFAULT"):
        creds = self._client.config.credentials
        if session_type == "DEFAULT":
            if client_credentials is not None or hasattr(creds, "client_secret"):
                session_type = "CLIENT_CREDENTIALS"
            else:
                session_type = "TOKEN_EXCHANGE"
        if session_type == "CLIENT_CREDENTIALS":
            if client_credentials is None:
                client_credentials = ClientCredentials(creds.client_id, creds.client_secret)
            item = {"clientId": client_credentials.client_id, "clientSecret": client_credentials.client_secret}
        elif session_type == "ONESHOT_TOKEN_EXCHANGE":
            item = {"oneshotTokenExchange": True}
        else:
            item = {"tokenExchange": True}
        response = self._client.post("/sessions", json={"items": [item]})
        return CreatedSession._load(response["items"][0])


class IAMAPI(_Api):
    def __init__(self, client):
        super().__init__(client)
        self.sessions = SessionsAPI(client)


class WorkflowExecutionAPI(_Api):
    def run(self, workflow_external_id, version, input=None, metadata=None, client_credentials=None, nonce=None):
        if nonce is None:
            nonce = self._client.iam.sessions.create(client_credentials).nonce
        body = {"authentication": {"nonce": nonce}}
        if input is not None:
            body["input"] = input
        if metadata is not None:
            body["metadata"] = metadata
        path = "/workflows/%s/versions/%s/run" % (_quote(workflow_external_id), _quote(version))
        return WorkflowExecution._load(self._client.post(path, json=body))

    # The older name of run (removed from cognite-sdk 8); kept so older handlers keep working.
    trigger = run

    def retrieve_detailed(self, id):
        try:
            return WorkflowExecutionDetailed(self._client.get("/workflows/executions/%s" % _quote(id)))
        except CogniteAPIError as err:
            if err.code in (400, 404):
                return None
            raise

    def list(self, workflow_version_ids=None, created_time_start=None, created_time_end=None, statuses=None, limit=25):
        flt = {}
        if workflow_version_ids:
            flt["workflowFilters"] = [
                {"externalId": w} if isinstance(w, str) else {"externalId": w[0], "version": w[1]} for w in workflow_version_ids
            ]
        if created_time_start is not None:
            flt["createdTimeStart"] = created_time_start
        if created_time_end is not None:
            flt["createdTimeEnd"] = created_time_end
        if statuses:
            flt["status"] = [s.upper() for s in statuses]
        out = []
        cursor = None
        while True:
            page = min(1000, limit - len(out)) if limit is not None else 1000
            body = {"filter": flt, "limit": page}
            if cursor:
                body["cursor"] = cursor
            response = self._client.post("/workflows/executions/list", json=body)
            out.extend(WorkflowExecution._load(i) for i in response["items"])
            cursor = response.get("nextCursor")
            if not cursor or (limit is not None and len(out) >= limit):
                return out

    def cancel(self, id, reason=None):
        body = {"reason": reason} if reason else {}
        return WorkflowExecution._load(self._client.post("/workflows/executions/%s/cancel" % _quote(id), json=body))

    def retry(self, id, client_credentials=None):
        nonce = self._client.iam.sessions.create(client_credentials).nonce
        body = {"authentication": {"nonce": nonce}}
        return WorkflowExecution._load(self._client.post("/workflows/executions/%s/retry" % _quote(id), json=body))


class WorkflowTaskAPI(_Api):
    def update(self, task_id, status, output=None):
        body = {"status": status.upper()}
        if output is not None:
            body["output"] = output
        return WorkflowTaskExecution(self._client.post("/workflows/tasks/%s/update" % _quote(task_id), json=body))


class WorkflowAPI(_Api):
    def __init__(self, client):
        super().__init__(client)
        self.executions = WorkflowExecutionAPI(client)
        self.tasks = WorkflowTaskAPI(client)


class FunctionsAPI(_Api):
    def call(self, id=None, external_id=None, data=None, wait=True, nonce=None):
        if id is None:
            if external_id is None:
                raise ValueError("Pass id or external_id")
            found = self._client.post("/functions/byids", json={"items": [{"externalId": external_id}]})
            id = found["items"][0]["id"]
        if nonce is None:
            nonce = self._client.iam.sessions.create().nonce
        body = {"nonce": nonce}
        if data is not None:
            body["data"] = data
        return self._client.post("/functions/%s/call" % id, json=body)


class CogniteClient:
    def __init__(self, config=None):
        config = config or global_config.default_client_config
        if config is None:
            raise ValueError("No ClientConfig has been provided, either pass it in or set global_config.default_client_config.")
        if not isinstance(config, ClientConfig):
            raise TypeError("config must be a ClientConfig")
        self._config = config
        self.iam = IAMAPI(self)
        self.workflows = WorkflowAPI(self)
        self.functions = FunctionsAPI(self)

    @property
    def config(self):
        return self._config

    def _url(self, path):
        if path.startswith("http://") or path.startswith("https://"):
            return path
        if not path.startswith("/"):
            path = "/" + path
        if path.startswith("/api/"):
            return self._config.base_url + path
        return "%s/api/v1/projects/%s%s" % (self._config.base_url, _quote(self._config.project), path)

    def _request(self, method, path, json_body=None, params=None, headers=None):
        url = self._url(path)
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        name, value = self._config.credentials.authorization_header()
        all_headers = {
            "Accept": "application/json",
            "x-cdp-sdk": "CognitePythonSDK:sandbox",
            "x-cdp-app": self._config.client_name,
            "cdf-version": self._config.api_subversion,
            name: value,
        }
        all_headers.update(self._config.headers)
        all_headers.update(headers or {})
        data = None
        if json_body is not None:
            data = json.dumps(json_body).encode()
            all_headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
        try:
            with urllib.request.urlopen(request, timeout=self._config.timeout) as response:
                text = response.read().decode()
                return json.loads(text) if text else {}
        except urllib.error.HTTPError as err:
            request_id = err.headers.get("x-request-id") if err.headers else None
            try:
                error = json.loads(err.read().decode() or "{}").get("error", {})
            except ValueError:
                error = {}
            if isinstance(error, str):
                error = {"message": error}
            message = error.get("message", err.reason)
            cls = CogniteProjectAccessError if err.code == 401 else CogniteAPIError
            raise cls(message, code=err.code, x_request_id=request_id, missing=error.get("missing"),
                      duplicated=error.get("duplicated")) from None

    def get(self, url, params=None, headers=None):
        return self._request("GET", url, params=params, headers=headers)

    def post(self, url, json=None, params=None, headers=None):
        return self._request("POST", url, json_body=json if json is not None else {}, params=params, headers=headers)

    def put(self, url, json=None, headers=None):
        return self._request("PUT", url, json_body=json if json is not None else {}, headers=headers)
`;

/** Runs one call: reads the call from stdin, imports the handler, calls handle(...), writes the result file. */
export const BOOTSTRAP = String.raw`
import asyncio
import importlib.util
import inspect
import json
import os
import sys
import traceback

ALLOWED = ("data", "client", "secrets", "function_call_info")


def main():
    spec = json.loads(sys.stdin.read())
    result_path = spec["resultPath"]

    def finish(payload):
        with open(result_path, "w", encoding="utf-8") as f:
            json.dump(payload, f)

    try:
        handler_file = os.path.join(spec["codeDir"], spec["functionPath"])
        sys.path.insert(0, os.path.dirname(handler_file))
        module_spec = importlib.util.spec_from_file_location("handler", handler_file)
        module = importlib.util.module_from_spec(module_spec)
        sys.modules["handler"] = module
        module_spec.loader.exec_module(module)
        handle = getattr(module, "handle", None)
        if not callable(handle):
            raise RuntimeError("%s does not define a callable named handle" % spec["functionPath"])
        params = inspect.signature(handle).parameters
        unknown = [p for p in params if p not in ALLOWED]
        if unknown:
            raise TypeError("handle() may only take the parameters data, client, secrets and function_call_info; it also takes: %s" % ", ".join(unknown))
        kwargs = {}
        if "data" in params:
            kwargs["data"] = spec["data"]
        if "secrets" in params:
            kwargs["secrets"] = spec["secrets"]
        if "function_call_info" in params:
            kwargs["function_call_info"] = spec["functionCallInfo"]
        if "client" in params:
            from cognite.client import ClientConfig, CogniteClient
            from cognite.client.credentials import Token

            kwargs["client"] = CogniteClient(ClientConfig(client_name="cognite-functions", project=spec["project"],
                                                          base_url=spec["baseUrl"], credentials=Token(spec["token"])))
        result = handle(**kwargs)
        if inspect.isawaitable(result):
            result = asyncio.run(result) if inspect.iscoroutine(result) else result
        try:
            encoded = json.loads(json.dumps(result))
        except (TypeError, ValueError) as err:
            raise TypeError("The return value of handle() is not JSON serializable: %s" % err) from None
        sys.stdout.flush()
        sys.stderr.flush()
        finish({"ok": True, "response": encoded})
    except BaseException as err:  # noqa: B902 - every failure becomes a failed call
        trace = traceback.format_exc()
        sys.stderr.write(trace)
        sys.stdout.flush()
        sys.stderr.flush()
        finish({"ok": False, "message": "%s: %s" % (type(err).__name__, err), "trace": trace})


main()
`;

/** Files of the stand-in package, relative to the folder that goes on PYTHONPATH. */
export const STAND_IN_FILES: Readonly<Record<string, string>> = {
  'cognite/__init__.py': INIT,
  'cognite/client/__init__.py': CLIENT_INIT,
  'cognite/client/config.py': CONFIG,
  'cognite/client/exceptions.py': EXCEPTIONS,
  'cognite/client/credentials.py': CREDENTIALS,
  'cognite/client/_cognite_client.py': COGNITE_CLIENT,
  'cognite/client/data_classes/__init__.py': DATA_CLASSES_INIT,
  'cognite/client/data_classes/iam.py': DATA_CLASSES_IAM,
  'cognite/client/data_classes/workflows.py': DATA_CLASSES_WORKFLOWS,
};
