"""Schedules from the environment or a TOML file: typed entries, or a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from beatclassifier.errors import InputError, UserError
from beatclassifier.settings import Settings
from jobs.scheduler import ScheduleEntry, configured_schedule, load_schedule_file, parse_schedule

KNOWN = {"pipeline", "ingest", "train"}


@pytest.fixture(autouse=True)
def no_schedule_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BEATCLASSIFIER_SCHEDULE", "BEATCLASSIFIER_SCHEDULE_FILE"):
        monkeypatch.delenv(name, raising=False)


def test_parses_cron_and_interval_entries() -> None:
    entries = parse_schedule(
        " pipeline=cron:0 3 * * * ; train=cron:0 4 * * 0;ingest=interval:60;", KNOWN
    )
    assert entries == [
        ScheduleEntry("pipeline", "cron", "0 3 * * *"),
        ScheduleEntry("train", "cron", "0 4 * * 0"),
        ScheduleEntry("ingest", "interval", "60"),
    ]
    cron = entries[0].trigger()
    assert isinstance(cron, CronTrigger) and str(cron.timezone) == "UTC"
    assert str(cron.fields[5]) == "3" and str(cron.fields[6]) == "0"  # hour, minute
    interval = entries[2].trigger()
    assert isinstance(interval, IntervalTrigger) and interval.interval.total_seconds() == 60
    assert entries[1].job_id == "beatclassifier:train"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("pipeline", r"entry 1 'pipeline': want JOB=cron"),
        ("nope=cron:0 3 * * *", r"unknown job 'nope'; known: ingest, pipeline, train"),
        ("pipeline=cron:0 3 * *", r"bad crontab '0 3 \* \*'"),
        ("pipeline=cron:0 25 * * *", r"bad crontab"),
        ("ingest=interval:0", r"interval must be a whole number of seconds >= 1"),
        ("ingest=interval:1.5", r"interval must be"),
        ("ingest=weekly:1", r"unknown schedule kind 'weekly'"),
        ("ingest=interval:60;pipeline=cron:0 3 * * *;ingest=interval:5", r"scheduled twice"),
    ],
)
def test_bad_entries_are_refused_with_their_position(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as refused:
        parse_schedule(text, KNOWN)
    assert str(refused.value).startswith("BEATCLASSIFIER_SCHEDULE: ")


def test_a_toml_schedule_file(tmp_path: Path) -> None:
    path = tmp_path / "schedule.toml"
    path.write_text(
        '[jobs.pipeline]\ncron = "0 3 * * *"\n\n[jobs.ingest]\ninterval_seconds = 21600\n'
    )
    assert load_schedule_file(path, KNOWN) == [
        ScheduleEntry("pipeline", "cron", "0 3 * * *"),
        ScheduleEntry("ingest", "interval", "21600"),
    ]
    settings = Settings(schedule="train=cron:0 4 * * 0", schedule_file=path)
    assert [e.job for e in configured_schedule(settings, KNOWN)] == ["pipeline", "ingest"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[jobs.pipeline\n", r"not valid TOML"),
        ("title = 'x'\n", r"no \[jobs.NAME\] tables"),
        ('[jobs.pipeline]\ncron = "0 3 * * *"\ninterval_seconds = 5\n', r"\[jobs.pipeline\]: give"),
        ("[jobs.pipeline]\nevery = 5\n", r"exactly one of"),
        ('[jobs.nope]\ncron = "0 3 * * *"\n', r"\[jobs.nope\]: unknown job"),
        ("[jobs.ingest]\ninterval_seconds = -5\n", r"interval must be"),
    ],
)
def test_bad_schedule_files_name_the_file_and_table(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "schedule.toml"
    path.write_text(content)
    with pytest.raises(InputError, match=message) as refused:
        load_schedule_file(path, KNOWN)
    assert str(refused.value).startswith(f"{path}: ")


def test_a_missing_file_and_an_empty_schedule_are_user_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the schedule"):
        load_schedule_file(tmp_path / "absent.toml", KNOWN)
    with pytest.raises(UserError, match="the schedule is empty"):
        configured_schedule(Settings(schedule=" ; "), KNOWN)


def test_the_default_schedule_is_a_daily_pipeline() -> None:
    [entry] = configured_schedule(Settings(), KNOWN)
    assert entry == ScheduleEntry("pipeline", "cron", "0 3 * * *")
