"""The emulator as a real process, its admin endpoints, and the expectation ledger of the conformance suite."""

import json
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request


class Emulator:
    """`zrules emulator serve --fixture F --port 0` as a child process, stopped by `stop()`."""

    def __init__(self, binary, fixture, job_step="0.2"):
        self.process = subprocess.Popen(
            [binary, "emulator", "serve", "--fixture", fixture, "--port", "0", "--job-step", job_step],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        first = self.process.stdout.readline().strip()
        prefix = "listening on "
        if not first.startswith(prefix):
            self.process.kill()
            raise RuntimeError("emulator did not start: %r %s" % (first, self.process.stderr.read()))
        self.base = first[len(prefix) :]

    def stop(self):
        """Ends the emulator (SIGTERM, then SIGKILL after 5 s)."""
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def admin(self, method, path, body=None):
        """Calls an unauthenticated /__emulator/ endpoint and returns its JSON."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + "/__emulator/" + path, data=data, method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
        return json.loads(raw) if raw else {}

    def state(self):
        """The emulator's whole store: records by module, jobs, users."""
        return self.admin("GET", "state")

    def reset(self):
        """Restores the fixture's records (issued tokens stay valid)."""
        self.admin("POST", "reset", {})

    def requests(self):
        """The request log, in order."""
        return self.admin("GET", "requests").get("requests", [])

    def raw(self, method, path, form=None):
        """A plain HTTP call (for the token endpoint outside the SDK); returns (status, JSON or text)."""
        data = None if form is None else urllib.parse.urlencode(form).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw.decode(errors="replace")


    def crm(self, method, path, body, token):
        """A CRM call outside the SDK, for details the SDK's typed classes drop (they keep only keys in its
        schema); the body is serialised as the SDK does (ids as JSON numbers). Returns (status, JSON or None)."""
        request = urllib.request.Request(self.base + path, data=json.dumps(body).encode(), method=method)
        request.add_header("Authorization", "Zoho-oauthtoken " + token)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, None


def same_id(a, b):
    """Ids compare exactly as integers, whether the JSON carried them as numbers or strings."""
    try:
        return a is not None and b is not None and int(str(a)) == int(str(b))
    except ValueError:
        return False


def records(state, module):
    """The live records (not `$deleted`) of a module in an emulator state."""
    return [r for r in state.get("records", {}).get(module, []) if not r.get("$deleted")]


def record(state, module, record_id):
    """The record of that module with exactly that id, or None."""
    for candidate in state.get("records", {}).get(module, []):
        if same_id(candidate.get("id"), record_id):
            return candidate
    return None


def link_id(value):
    """The id a lookup points at: `{id, name}`, a bare id, or None."""
    if isinstance(value, dict):
        return value.get("id")
    return value


def tag_names(rec):
    """The names of a record's tags (`Tag: [{name, id}]` or plain names)."""
    names = []
    for tag in (rec or {}).get("Tag") or []:
        names.append(tag.get("name") if isinstance(tag, dict) else tag)
    return names


class Ledger:
    """Counts expectations; prints one line per failure with the reason."""

    def __init__(self, label):
        self.label = label
        self.passed = 0
        self.failed = 0

    def check(self, name, condition, why=""):
        """Records one expectation; `why` says what was seen when it does not hold."""
        if condition:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL [%s] %s: %s" % (self.label, name, why), flush=True)
        return bool(condition)

    def equal(self, name, actual, expected):
        """An expectation that `actual == expected`."""
        return self.check(name, actual == expected, "expected %r, got %r" % (expected, actual))

    def crashed(self, name, error):
        """A test group that raised: one failed expectation naming the exception."""
        self.check(name, False, "raised %s: %s" % (type(error).__name__, error))


def wait_for(poll, done, timeout=15.0, step=0.1):
    """Polls until `done(value)` or the timeout; returns the last value (the emulator's jobs move on read)."""
    deadline = time.monotonic() + timeout
    value = poll()
    while not done(value) and time.monotonic() < deadline:
        time.sleep(step)
        value = poll()
    return value
