# A tiny stand-in for cognite-sdk, for testing the generated handler.py without CDF. It records every call
# as one JSON line in the file named by FAKE_COGNITE_LOG. FAKE_COGNITE_SDK=old gives an SDK without run().
import json
import os


def record(event, **fields):
    with open(os.environ["FAKE_COGNITE_LOG"], "a", encoding="utf-8") as log:
        log.write(json.dumps(dict(fields, event=event)) + "\n")


class ClientConfig:
    def __init__(self, client_name, project, credentials, api_subversion=None, base_url=None, **_):
        self.client_name = client_name
        self.project = project
        self.credentials = credentials
        self.base_url = base_url
        record("config", client_name=client_name, project=project, base_url=base_url)


class _Execution:
    def __init__(self, execution_id):
        self.id = execution_id


class _Executions:
    def _start(self, method, workflow_external_id, version, input=None, metadata=None, client_credentials=None):
        record(
            method,
            workflow_external_id=workflow_external_id,
            version=version,
            input=input,
            metadata=metadata,
            client_id=getattr(client_credentials, "client_id", None),
            has_client_secret=bool(getattr(client_credentials, "client_secret", None)),
        )
        return _Execution("00000000-0000-4000-8000-000000000001")


class _ModernExecutions(_Executions):
    def run(self, workflow_external_id, version, input=None, metadata=None, client_credentials=None):
        return self._start("run", workflow_external_id, version, input, metadata, client_credentials)


class _OldExecutions(_Executions):
    def trigger(self, workflow_external_id, version, input=None, metadata=None, client_credentials=None):
        return self._start("trigger", workflow_external_id, version, input, metadata, client_credentials)


class _Workflows:
    def __init__(self):
        self.executions = _OldExecutions() if os.environ.get("FAKE_COGNITE_SDK") == "old" else _ModernExecutions()


class CogniteClient:
    def __init__(self, config=None):
        self.config = config
        self.workflows = _Workflows()
