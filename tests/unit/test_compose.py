"""docker-compose.yml, Dockerfile and .env.example: valid, safe, and running real commands.

No Docker engine here: ``docker compose config`` runs where the compose plugin exists;
everywhere, the parsed YAML is checked against what the services must be.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from beatclassifier.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]


class ComposeLoader(yaml.SafeLoader):
    """YAML with Compose's merge-control tags (``!reset``, ``!override``)."""


def _tagged(loader: yaml.SafeLoader, node: yaml.Node):
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)


ComposeLoader.add_constructor("!reset", _tagged)
ComposeLoader.add_constructor("!override", _tagged)


def load(name: str) -> dict:
    return yaml.load((ROOT / name).read_text(), Loader=ComposeLoader)


@pytest.fixture(scope="module")
def compose() -> dict:
    return load("docker-compose.yml")


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


def _has_compose_plugin() -> bool:
    docker = shutil.which("docker")
    if docker is None:
        return False
    probe = subprocess.run([docker, "compose", "version"], capture_output=True, timeout=30)
    return probe.returncode == 0


@pytest.mark.skipif(not _has_compose_plugin(), reason="no `docker compose` plugin here")
def test_docker_compose_config_accepts_the_files() -> None:
    for files in (["docker-compose.yml"], ["docker-compose.yml", "docker-compose.cpu.yml"]):
        args = [arg for f in files for arg in ("-f", f)]
        result = subprocess.run(
            ["docker", "compose", *args, "config", "--quiet"],
            cwd=ROOT,
            env={"POSTGRES_PASSWORD": "x", "PATH": "/usr/bin:/bin:/usr/local/bin"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr


def test_the_services_and_their_order(compose: dict) -> None:
    services = compose["services"]
    assert set(services) == {
        "postgres", "migrate", "scheduler", "trainer", "dask-scheduler", "dask-worker",
    }  # fmt: skip
    pg = services["postgres"]
    assert pg["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(pg["healthcheck"]["test"])
    assert any(v.endswith(":/var/lib/postgresql/data") for v in pg["volumes"])
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert services["migrate"]["restart"] == "no"
    for name in ("scheduler", "trainer"):
        assert services[name]["depends_on"] == {
            "migrate": {"condition": "service_completed_successfully"}
        }
    for name in ("dask-scheduler", "dask-worker"):
        assert services[name]["profiles"] == ["dask"]
    assert all("profiles" not in s for n, s in services.items() if not n.startswith("dask"))
    assert set(compose["volumes"]) >= {"pgdata", "artifacts"}


def test_the_trainer_reserves_an_nvidia_gpu_and_the_cpu_overlay_drops_it(compose, dockerfile):
    trainer = compose["services"]["trainer"]
    [device] = trainer["deploy"]["resources"]["reservations"]["devices"]
    assert device["driver"] == "nvidia" and "gpu" in device["capabilities"]
    assert trainer["build"]["target"] == "trainer"
    assert re.search(r"tensorflow\[and-cuda\]", dockerfile)
    assert load("docker-compose.cpu.yml")["services"]["trainer"]["deploy"] == {}


def _stages(dockerfile: str) -> dict[str, str]:
    parts = re.split(r"^FROM .* AS (\S+)$", dockerfile, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_the_dockerfile_is_multistage_non_root_and_secret_free(dockerfile: str) -> None:
    stages = _stages(dockerfile)
    assert {"base", "build", "runtime", "trainer"} <= set(stages)
    for name in ("runtime", "trainer"):
        assert re.search(r"^USER beatclassifier$", stages[name], re.MULTILINE), name
        assert 'ENTRYPOINT ["beatclassifier"]' in stages[name]
    assert list(stages)[-1] == "runtime"  # the default target
    for line in dockerfile.splitlines():
        if line.startswith(("ENV", "ARG")) or line.startswith(" "):
            assert not re.search(r"PASSWORD|SECRET|TOKEN", line, re.IGNORECASE), line
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert ".env" in ignored and ".git" in ignored


def test_secrets_come_only_from_the_environment(compose: dict) -> None:
    def walk(value, key=""):
        if isinstance(value, dict):
            for k, v in value.items():
                yield from walk(v, str(k))
        elif isinstance(value, list):
            for v in value:
                yield from walk(v, key)
        else:
            yield key, str(value)

    for key, value in walk(compose):
        if re.search(r"PASSWORD|SECRET", key):
            assert value.startswith("${"), f"{key} must come from the environment: {value}"
        if "://" in value and "@" in value:
            assert re.search(r"://[^:]+:\$\{[A-Z_]+", value), f"literal credentials: {value}"


def test_env_example_names_every_variable_the_compose_file_uses() -> None:
    used = set(re.findall(r"\$\{([A-Z_]+)", (ROOT / "docker-compose.yml").read_text()))
    example = (ROOT / ".env.example").read_text()
    defined = set(re.findall(r"^#?\s*([A-Z_]+)=", example, re.MULTILINE))
    assert used <= defined, f"missing from .env.example: {sorted(used - defined)}"


def _beatclassifier_commands(compose: dict, dockerfile: str) -> dict[str, list[str]]:
    """service or stage -> the beatclassifier arguments it runs."""
    commands = {}
    for name, service in compose["services"].items():
        ours = service["image"].startswith("beatclassifier")
        if ours and service.get("entrypoint", ["beatclassifier"]) == ["beatclassifier"]:
            commands[f"service {name}"] = service["command"]
    for stage, body in _stages(dockerfile).items():
        if cmd := re.search(r"^CMD (\[.*\])$", body, re.MULTILINE):
            commands[f"stage {stage}"] = yaml.safe_load(cmd.group(1))
    return commands


def test_every_command_the_images_run_is_a_real_subcommand(compose, dockerfile) -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["beatclassifier"] == "beatclassifier.cli:main"  # the ENTRYPOINT
    parser = build_parser()
    commands = _beatclassifier_commands(compose, dockerfile)
    assert {"service migrate", "service scheduler", "service trainer", "stage runtime"} <= set(
        commands
    )
    for where, argv in commands.items():
        try:
            args = parser.parse_args(argv)
        except SystemExit:
            pytest.fail(f"{where} runs `beatclassifier {shlex.join(argv)}`: not a valid command")
        assert callable(args.handler), where
