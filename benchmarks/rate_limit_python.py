#!/usr/bin/env python3
"""The official Python SDK's contender in the rate-limit job (benchmarks/examples/rate_limit.rs
starts it): CALLS `TokensApi.get_tokens_me()` calls spread over THREADS threads, as a user
would write them with one shared `ApiClient` and the SDK's defaults (its own retry: urllib3's,
which honours `Retry-After` on a 429 up to 3 times, and its pool of 4 connections).

    python3 benchmarks/rate_limit_python.py BASE_URL TOKEN CALLS THREADS

Prints one line: `<seconds> <failed calls> <CPU seconds> <peak RSS KiB>`. The pinned SDK is
installed (with --no-deps: nothing else is resolved) into target/python-sdk on first use.
"""

import os
import resource
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The same pins as cloud/fidelity/payloads.py.
PINNED = ["PureCloudPlatformClientV2==269.0.0", "python-dateutil==4.0.0", "urllib3==2.8.0",
          "certifi==2026.10.19.post1", "tzdata==2026.6", "watchdog==7.1.0"]
TARGET = os.path.join(ROOT, "target", "python-sdk", "269.0.0")


def install():
    marker = os.path.join(TARGET, ".installed")
    if not os.path.exists(marker):
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        "--no-deps", "--target", TARGET] + PINNED, check=True,
                       stdout=sys.stderr)
        open(marker, "w").close()
    sys.path.insert(0, TARGET)


def main():
    base_url, token, calls, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    install()
    import PureCloudPlatformClientV2 as sdk

    client = sdk.ApiClient(host=base_url)
    client.access_token = token
    api = sdk.TokensApi(client)
    lock = threading.Lock()
    state = {"next": 0, "failed": 0}

    def work():
        while True:
            with lock:
                if state["next"] >= calls:
                    return
                state["next"] += 1
            try:
                api.get_tokens_me()
            except Exception:  # the SDK's ApiException, or urllib3's MaxRetryError
                with lock:
                    state["failed"] += 1

    cpu = time.process_time()
    started = time.monotonic()
    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    cpu = time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"{elapsed:.3f} {state['failed']} {cpu:.3f} {peak}", flush=True)


if __name__ == "__main__":
    main()
