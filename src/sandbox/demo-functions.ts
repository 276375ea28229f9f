// Python code of the demo seed's functions; the function runner executes it like any deployed zip.

export const CONTEXTUALIZE_ASSETS = String.raw`
"""Matches source assets to the site hierarchy for each configured site."""


def handle(data, client, function_call_info):
    sites = data.get("sites") or []
    run_date = data.get("runDate") or "today"
    print(f"Contextualizing assets for {len(sites)} site(s), run date {run_date}")
    matched = 0
    for i, site in enumerate(sites):
        name = site.get("name", "site") if isinstance(site, dict) else str(site)
        count = 120 + 37 * (i + 1)
        matched += count
        print(f"  {name}: {count} assets matched")
    print(f"Done (call {function_call_info.get('call_id')})")
    return {"assetsMatched": matched, "sites": len(sites), "runDate": run_date}
`;

export const PLAN_BATCHES = String.raw`
"""Plans one processing task per site; the workflow runs them as a dynamic task."""


def handle(data):
    sites = data.get("sites") or ["oslo", "bergen", "stavanger"]
    print(f"Planning {len(sites)} site batch(es)")
    tasks = []
    for site in sites:
        tasks.append({
            "externalId": f"process-{site}",
            "type": "transformation",
            "name": f"Process {site.title()}",
            "parameters": {"transformation": {"externalId": f"tr-process-{site}", "concurrencyPolicy": "waitForCurrent"}},
            "retries": 1,
            "timeout": 1800,
        })
    return {"tasks": tasks, "planned": len(tasks)}
`;

export const CHECK_TIMESERIES_GAPS = String.raw`
"""Checks that no monitored time series has a gap longer than the allowed window."""


def handle(data):
    window = data.get("maxGapHours", 6)
    print(f"Checking 1,284 time series for gaps over {window} hours")
    gaps = ["pump-17:discharge_pressure", "compressor-3:vibration_rms", "well-B12:choke_opening"]
    for ts in gaps:
        print(f"  gap found: {ts}")
    raise ValueError(f"{len(gaps)} time series have gaps longer than {window} hours: {', '.join(gaps)}")
`;

export const REQUEST_APPROVAL = String.raw`
"""Posts an approval request; the workflow waits until someone completes the task."""


def handle(data):
    task_id = data.get("cogniteOrchestrationTaskId")
    channel = data.get("channel", "ops-approvals")
    print(f"Approval requested in #{channel} for task {task_id}")
    return {"approvalRequestId": "APR-" + (task_id or "manual")[:8].upper(), "channel": channel}
`;

export const BUILD_REPORT = String.raw`
"""Builds the daily production report from the processed data."""


def handle(data, function_call_info):
    print("Collecting KPIs from 3 sites")
    print("Rendering report")
    return {"reportId": f"daily-report-{function_call_info['call_id']}", "pages": 12, "kpis": 48}
`;

/** The handler the schedule wizard generates (see the brief): starts a workflow run on each scheduled call. */
export const TRIGGER_WORKFLOW = String.raw`
import os
from cognite.client import CogniteClient, ClientConfig
from cognite.client.credentials import OAuthClientCredentials
from cognite.client.data_classes import ClientCredentials


def handle(data, secrets, function_call_info):
    creds = OAuthClientCredentials(token_url=os.environ["IDP_TOKEN_URL"], client_id=secrets["client-id"],
        client_secret=secrets["client-secret"], scopes=os.environ.get("IDP_SCOPES", "").split(","))
    client = CogniteClient(ClientConfig(client_name="cdf-workflows-trigger", project=os.environ["CDF_PROJECT"],
        base_url=os.environ["CDF_URL"], credentials=creds))
    executions = client.workflows.executions
    run = getattr(executions, "run", None) or executions.trigger
    ex = run(data["workflowExternalId"], data["version"], input=data.get("input"), metadata=data.get("metadata"),
             client_credentials=ClientCredentials(secrets["client-id"], secrets["client-secret"]))
    print(f"started {ex.id}")
    return {"executionId": ex.id}
`;
