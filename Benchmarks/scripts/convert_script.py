#!/usr/bin/env python3
"""The comparison: what a competent engineer would script with `requests` instead of zrules.

COQL page by page (LIMIT 200, ordered by id), then either mass convert in 50s and poll each job every second,
or single convert one by one. Two variants: --mode sequential, and --mode threads (a thread pool at the edition's
concurrency limit; convert lead and COQL, Zoho's complex APIs, at most 10 at once). A 429 is retried after a pause,
as such a script would. Prints one JSON line: seconds, converted, failed, client-side peak in flight, peak memory.

    convert_script.py --url http://127.0.0.1:PORT --path mass|single|lead-mass|lead-single --mode threads --workers 20

Only loopback URLs are accepted: it is meant for the emulator, never a real org.
"""
import argparse
import json
import resource
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import requests

COMPLEX_LIMIT = 10
MAX_PAGES = 600  # 120,000 records at 200 a page: more than the emulator holds
MAX_POLLS = 600  # one job polled for at most ten minutes
MAX_RETRIES = 8
TARGETS = {"mass": "Sales_Orders", "single": "Invoices"}


class Client:
    """A requests session with a token, counting calls in flight on this side."""

    def __init__(self, url, workers):
        self.url = url.rstrip("/")
        self.session = requests.Session()
        adapter = requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=max(workers, 1))
        self.session.mount("http://", adapter)
        self.lock = threading.Lock()
        self.in_flight = 0
        self.peak = 0
        self.calls = 0
        self.retries = 0
        # The emulator accepts any client when its fixture lists none; no real secret is involved.
        answer = self.session.post(
            f"{self.url}/oauth/v2/token",
            params={
                "grant_type": "refresh_token",
                "client_id": "1000.BENCHSCRIPT",
                "client_secret": "bench",
                "refresh_token": "1000.bench.script",
            },
            timeout=30,
        ).json()
        self.api = answer["api_domain"].rstrip("/") + "/crm/v7"
        self.headers = {"Authorization": "Zoho-oauthtoken " + answer["access_token"]}

    def call(self, method, path, **kwargs):
        """One CRM call; retried after a pause on 429, as the rate-limit page advises."""
        for attempt in range(MAX_RETRIES):
            with self.lock:
                self.in_flight += 1
                self.calls += 1
                self.peak = max(self.peak, self.in_flight)
            try:
                response = self.session.request(method, self.api + path, headers=self.headers, timeout=120, **kwargs)
            finally:
                with self.lock:
                    self.in_flight -= 1
            if response.status_code != 429:
                return response
            with self.lock:
                self.retries += 1
            time.sleep(0.5 * (attempt + 1))
        raise RuntimeError(f"{method} {path}: still 429 after {MAX_RETRIES} tries")


def select_ids(client, module, where):
    """COQL page by page until more_records is false."""
    ids = []
    for page in range(MAX_PAGES):
        query = f"select id from {module} where {where} order by id limit {page * 200}, 200"
        response = client.call("POST", "/coql", json={"select_query": query})
        if response.status_code == 204:
            break
        body = response.json()
        ids += [row["id"] for row in body.get("data", [])]
        if not body.get("info", {}).get("more_records"):
            break
    return ids


def module_id(client, api_name):
    return client.call("GET", f"/settings/modules/{api_name}").json()["modules"][0]["id"]


def mass_quotes(client, batch, target_id):
    """One mass convert of up to 50 quotes, polled every second until the job ends; returns converted count."""
    body = {
        "convert_to": [{"module": {"api_name": "Sales_Orders", "id": target_id}, "carry_over_tags": True}],
        "ids": batch,
    }
    job = client.call("POST", "/Quotes/actions/mass_convert", json=body).json()["details"]["job_id"]
    return poll(client, "/Quotes/actions/mass_convert", job, "status", "converted_count")


def mass_leads(client, batch, owner_id):
    body = {"ids": batch, "assign_to": {"id": owner_id}}
    job = client.call("POST", "/Leads/actions/mass_convert", json=body).json()["details"]["job_id"]
    return poll(client, "/Leads/actions/mass_convert", job, "Status", "Converted_Count")


def poll(client, path, job, status_key, count_key):
    for _ in range(MAX_POLLS):
        time.sleep(1)
        status = client.call("GET", path, params={"job_id": job}).json()["data"][0]
        if status[status_key] in ("COMPLETED", "FAILED"):
            return status[count_key]
    return 0


def single_quote(client, record_id, target_id):
    body = {"data": [{"convert_to": [{"module": {"api_name": "Invoices", "id": target_id}, "carry_over_tags": True}]}]}
    response = client.call("POST", f"/Quotes/{record_id}/actions/convert", json=body)
    return 1 if response.ok and response.json()["data"][0].get("code") == "SUCCESS" else 0


def no_duplicate(client, lead_id):
    """duplicates: skip, as the zrules rule does: convert only leads whose conversion options find nothing."""
    return client.call("GET", f"/Leads/{lead_id}/__conversion_options").status_code == 204


def single_lead(client, lead_id):
    response = client.call("POST", f"/Leads/{lead_id}/actions/convert", json={"data": [{}]})
    return 1 if response.ok and response.json()["data"][0].get("code") == "SUCCESS" else 0


def run(client, path, workers):
    """Selects, then converts; `workers` 1 is the sequential script."""
    pool = ThreadPoolExecutor(max_workers=workers)
    complex_pool = ThreadPoolExecutor(max_workers=min(workers, COMPLEX_LIMIT))
    try:
        if path in TARGETS:
            ids = select_ids(client, "Quotes", "Quote_Stage = 'Accepted' and Grand_Total > 0")
            target_id = module_id(client, TARGETS[path])
            if path == "mass":
                batches = [ids[i : i + 50] for i in range(0, len(ids), 50)]
                done = sum(pool.map(lambda b: mass_quotes(client, b, target_id), batches))
            else:
                done = sum(pool.map(lambda i: single_quote(client, i, target_id), ids))
            return len(ids), done
        ids = select_ids(client, "Leads", "Lead_Status = 'Qualified'")
        free = [i for i, ok in zip(ids, pool.map(lambda i: no_duplicate(client, i), ids)) if ok]
        if path == "lead-mass":
            owner = client.call("GET", "/users", params={"type": "CurrentUser"}).json()["users"][0]["id"]
            batches = [free[i : i + 50] for i in range(0, len(free), 50)]
            done = sum(pool.map(lambda b: mass_leads(client, b, owner), batches))
        else:
            done = sum(complex_pool.map(lambda i: single_lead(client, i), free))
        return len(ids), done
    finally:
        pool.shutdown()
        complex_pool.shutdown()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--path", choices=["mass", "single", "lead-mass", "lead-single"], required=True)
    parser.add_argument("--mode", choices=["sequential", "threads"], required=True)
    parser.add_argument("--workers", type=int, default=20, help="thread-pool size: the edition's concurrency limit")
    args = parser.parse_args()
    if urlparse(args.url).hostname not in ("127.0.0.1", "localhost"):
        sys.exit("convert_script.py: --url must be a loopback URL (the emulator)")
    workers = 1 if args.mode == "sequential" else args.workers
    start = time.monotonic()
    client = Client(args.url, workers)
    selected, converted = run(client, args.path, workers)
    seconds = time.monotonic() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = {
        "tool": f"script-{args.mode}", "path": args.path, "selected": selected, "converted": converted,
        "seconds": seconds, "client_calls": client.calls, "client_peak_in_flight": client.peak,
        "retries_after_429": client.retries, "peak_memory_mib": peak_kib / 1024,
    }
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
