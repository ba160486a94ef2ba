"""Production logs: one JSON object a line."""

import json
import logging
import sys

from canto_portal.jsonlog import JSONFormatter


def record(message, *args, exc_info=None):
    return logging.LogRecord("canto", logging.ERROR, __file__, 1, message, args, exc_info)


def test_a_log_record_is_one_line_of_json_with_its_level_logger_and_message():
    line = JSONFormatter().format(record("Sent %s emails", 3))

    assert "\n" not in line
    entry = json.loads(line)
    assert (entry["level"], entry["logger"]) == ("ERROR", "canto")
    assert entry["message"] == "Sent 3 emails"


def test_an_exception_stays_inside_its_line():
    try:
        raise ValueError("boom")
    except ValueError:
        line = JSONFormatter().format(record("failed", exc_info=sys.exc_info()))

    assert "\n" not in line
    assert "ValueError: boom" in json.loads(line)["exception"]
