"""One page, one role, as fast as the server answers: bench/run.py starts this once per page
and per number of users, with the page's path and role in the environment."""

import json
import os
from pathlib import Path

from locust import FastHttpUser, constant, task

SESSIONS_FILE = os.environ.get("BENCH_SESSIONS_FILE", Path(__file__).parent / ".sessions.json")
SESSIONS = json.loads(Path(SESSIONS_FILE).read_text())["sessions"]
PATH = os.environ["BENCH_PATH"]
ROLE = os.environ.get("BENCH_ROLE", "anonymous")


class PageUser(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.headers = {}
        if ROLE != "anonymous":
            self.headers["Cookie"] = f"sessionid={SESSIONS[ROLE]}"

    @task
    def page(self):
        with self.client.get(PATH, headers=self.headers, name=PATH, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code}")
