#!/usr/bin/env python3
"""Runs zrules and the two scripts on the same fixture and the same emulator, and prints one table.

One emulator process (`engine-benchmark --serve`) serves the generated fixture with the given latency, job step and
edition; before each run it is reset (records, jobs, request log). zrules runs as `engine-benchmark --url` (the
engine's Project.execute, as `zrules run` does, in its own process), then convert_script.py sequentially and with
a thread pool. Calls, peak in flight and 429s come from the emulator's request log for every tool alike.

    compare.py --bench .build-bench/swift/release/engine-benchmark --records 1000 --paths mass,single
"""
import argparse
import json
import os
import re
import select
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
LIMITS = {"free": 5, "standard": 10, "professional": 15, "enterprise": 20, "ultimate": 25}


def admin(url, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data, method="GET" if data is None else "POST")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=300) as response:
        return response.read()


def log_stats(url):
    """Calls, calls by endpoint, peak admitted in flight and 429s, from the emulator's request log."""
    entries = json.loads(admin(url, "/__emulator/requests"))["requests"]
    by_endpoint, peak, too_many = {}, 0, 0
    for entry in entries:
        path = entry.get("path", "")
        parts = [p for p in path.split("/") if p][2 if path.startswith("/crm/") else 0 :]
        name = entry.get("method", "") + " " + "/".join("{id}" if p.isdigit() and len(p) > 6 else p for p in parts)
        by_endpoint[name] = by_endpoint.get(name, 0) + 1
        if entry.get("status") == 429:
            too_many += 1
        elif path.startswith("/crm/"):
            peak = max(peak, int(entry.get("in_flight", 0)) + 1)
    return {"calls": len(entries), "by_endpoint": by_endpoint, "peak_in_flight": peak, "429s": too_many}


def start_emulator(args):
    command = [args.bench, "--serve", "--records", str(args.records), "--path", args.paths,
               "--latency", args.latency, "--job-step", args.job_step, "--edition", args.edition]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + args.load_timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 5)
        if ready:
            line = process.stdout.readline()
            match = re.match(r"listening on (http://127\.0\.0\.1:\d+)", line)
            if match:
                return process, match.group(1).rstrip("/")
            if not line:
                break
        if process.poll() is not None:
            break
    process.kill()
    sys.exit(f"compare.py: the emulator did not start within {args.load_timeout} s")


def peak_rss_mib(pid):
    """VmHWM (peak resident set) of a live process, from /proc; None where there is no /proc."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def run_zrules(args, url, path):
    command = [args.bench, "--url", url, "--records", str(args.records), "--path", path, "--latency",
               args.latency, "--job-step", args.job_step, "--edition", args.edition, "--json"]
    output = subprocess.run(command, capture_output=True, text=True, timeout=args.run_timeout, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def run_script(args, url, path, mode):
    admin(url, "/__emulator/reset", {})
    command = [sys.executable, os.path.join(HERE, "convert_script.py"), "--url", url, "--path", path, "--mode",
               mode, "--workers", str(LIMITS[args.edition])]
    output = subprocess.run(command, capture_output=True, text=True, timeout=args.run_timeout, check=True).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result.update(log_stats(url))
    return result


def cell(result, records):
    if result is None:
        return "not run"
    text = f"{result['seconds']:.1f} s, {result['calls']} calls, peak {result['peak_in_flight']}"
    if result.get("429s"):
        text += f", {result['429s']} × 429"
    if result["converted"] != records:
        text += f", {result['converted']} of {records} converted"
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", required=True, help="the engine-benchmark executable")
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--paths", default="mass,single")
    parser.add_argument("--latency", default="100ms")
    parser.add_argument("--job-step", default="1s")
    parser.add_argument("--edition", default="enterprise", choices=sorted(LIMITS))
    parser.add_argument("--sequential-max", type=int, default=2000, help="skip the sequential script above this")
    parser.add_argument("--load-timeout", type=int, default=900)
    parser.add_argument("--run-timeout", type=int, default=3600)
    parser.add_argument("--results", help="also write every figure to this JSON file")
    args = parser.parse_args()
    process, url = start_emulator(args)
    rows = []
    try:
        for path in args.paths.split(","):
            zrules = run_zrules(args, url, path)
            print(f"zrules {path}: {zrules['seconds']:.1f} s", file=sys.stderr, flush=True)
            sequential = None
            if args.records <= args.sequential_max:
                sequential = run_script(args, url, path, "sequential")
                print(f"sequential script {path}: {sequential['seconds']:.1f} s", file=sys.stderr, flush=True)
            threads = run_script(args, url, path, "threads")
            print(f"thread-pool script {path}: {threads['seconds']:.1f} s", file=sys.stderr, flush=True)
            rows.append((path, zrules, sequential, threads))
        emulator_mib = peak_rss_mib(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)
    print(f"\n{args.records} records, latency {args.latency}, job step {args.job_step}, edition {args.edition} "
          f"({LIMITS[args.edition]} in flight, 10 complex)\n")
    print("| work | zrules | sequential script | thread-pool script | lower bound | zrules ÷ bound speed "
          "| thread pool ÷ zrules time |")
    print("|---|---|---|---|---|---|---|")
    for path, zrules, sequential, threads in rows:
        ratio = zrules["bound_seconds"] / zrules["seconds"]
        versus = threads["seconds"] / zrules["seconds"]
        print(f"| {args.records:,} {path} | {cell(zrules, args.records)} | {cell(sequential, args.records)} | {cell(threads, args.records)} "
              f"| {zrules['bound_seconds']:.1f} s | {ratio:.2f} | {versus:.2f} |")
    print()
    for path, zrules, _, threads in rows:
        print(f"zrules {path} calls: " + ", ".join(f"{v} {k}" for k, v in sorted(zrules["by_endpoint"].items())))
        print(f"  peak memory: zrules {zrules['peak_memory_mib']:.0f} MiB, thread-pool script "
              f"{threads['peak_memory_mib']:.0f} MiB")
    if emulator_mib is not None:
        print(f"emulator peak memory (VmHWM, whole session): {emulator_mib:.0f} MiB")
    if args.results:
        with open(args.results, "w") as out:
            json.dump({"args": vars(args), "rows": rows, "emulator_peak_mib": emulator_mib}, out, indent=1)


if __name__ == "__main__":
    main()
