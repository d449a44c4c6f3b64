"""jubilant 1.14 driving the simulator's juju exactly as it drives juju 3.6: deploy a charm, integrate the
built-in postgresql-k8s, wait, read and change config, run actions, read status, secrets and logs.

Environment: JUJU_CLI (the simulator's bin/juju) and CHARM_PATH (the charm to deploy: the test's greeter
charm, or the project's packed example charm once workload containers run). Run by
tests/simulator/jubilant.test.ts."""

import os
import pathlib

import jubilant
import pytest

CHARM = pathlib.Path(os.environ["CHARM_PATH"])
APP = "greeter"


@pytest.fixture(scope="module")
def juju():
    instance = jubilant.Juju(cli_binary=os.environ["JUJU_CLI"], wait_timeout=120)
    instance.add_model("jubilant-test", config={"update-status-hook-interval": "60m"})
    try:
        yield instance
    finally:
        instance.destroy_model("jubilant-test", destroy_storage=True, force=True)


def test_version(juju: jubilant.Juju):
    assert juju.version().tuple[:2] == (3, 6)


def test_deploy_blocks_until_postgresql(juju: jubilant.Juju):
    juju.deploy(CHARM, APP, config={"greeting": "hi"}, num_units=2)
    status = juju.wait(lambda s: jubilant.all_blocked(s, APP), error=jubilant.any_error)
    app = status.apps[APP]
    assert app.charm_name == APP and app.charm_origin == "local" and app.charm_rev == 0
    assert app.units[f"{APP}/0"].leader and not app.units[f"{APP}/1"].leader
    assert app.units[f"{APP}/0"].workload_status.message == "missing integrations: postgresql"
    assert app.units[f"{APP}/1"].juju_status.current == "idle"
    assert status.model.type == "caas" and status.model.version == "3.6.8"


def test_postgresql_makes_it_active(juju: jubilant.Juju):
    juju.deploy("postgresql-k8s", trust=True)
    juju.integrate(APP, "postgresql-k8s")
    status = juju.wait(lambda s: jubilant.all_active(s, APP, "postgresql-k8s") and jubilant.all_agents_idle(s), error=jubilant.any_error)
    assert status.apps[APP].app_status.message == "hi"
    assert status.apps[APP].relations["database"][0].related_app == "postgresql-k8s"
    assert status.apps["postgresql-k8s"].charm_origin == "charmhub"


def test_config_round_trip(juju: jubilant.Juju):
    assert juju.config(APP) == {"greeting": "hi", "retries": 3}
    juju.config(APP, {"greeting": "howdy", "debug": True})
    assert juju.config(APP)["greeting"] == "howdy"
    assert juju.config(APP)["debug"] is True
    juju.wait(lambda s: s.apps[APP].units[f"{APP}/0"].workload_status.message == "howdy")
    juju.config(APP, reset=["greeting", "debug"])
    assert juju.config(APP) == {"greeting": "hello", "retries": 3}


def test_actions(juju: jubilant.Juju):
    task = juju.run(f"{APP}/leader", "greet", {"name": "ada", "count": 2})
    assert task.success and task.results == {"message": "hello, ada", "count": "2"}
    assert task.log[0].endswith("greeting ada")
    with pytest.raises(jubilant.TaskError) as failure:
        juju.run(f"{APP}/0", "explode")
    assert failure.value.task.status == "failed" and failure.value.task.return_code == 3
    assert failure.value.task.stderr == "about to fail\n"
    with pytest.raises(jubilant.CLIError):
        juju.run(f"{APP}/0", "no-such-action")


def test_exec_show_unit_and_logs(juju: jubilant.Juju):
    assert juju.exec("config-get greeting", unit=f"{APP}/0").stdout == "hello\n"
    unit = juju.show_unit(f"{APP}/0")
    assert unit.leader and unit.charm == "local:greeter-0"
    assert any(r.endpoint == "database" and r.related_endpoint == "database" for r in unit.relation_info)
    assert "event=database-relation-changed" in juju.debug_log(limit=200)


def test_secrets(juju: jubilant.Juju):
    uri = juju.add_secret("api-token", {"token": "t0ken"}, info="for the greeter")
    juju.grant_secret("api-token", APP)
    secret = juju.show_secret("api-token", reveal=True)
    assert secret.uri == uri and secret.content == {"token": "t0ken"} and secret.description == "for the greeter"
    assert any(s.name == "api-token" for s in juju.secrets())


def test_update_and_remove_secret(juju: jubilant.Juju):
    juju.update_secret("api-token", {"token": "n3w"}, info="rotated")
    secret = juju.show_secret("api-token", reveal=True)
    assert secret.content == {"token": "n3w"} and secret.revision == 2 and secret.description == "rotated"
    juju.remove_secret("api-token")
    assert not any(s.name == "api-token" for s in juju.secrets())


def test_scp_both_ways(juju: jubilant.Juju, tmp_path: pathlib.Path):
    local = tmp_path / "note.txt"
    local.write_text("from the host\n")
    juju.scp(local, f"{APP}/0:note.txt")
    assert juju.exec("cat note.txt", unit=f"{APP}/0").stdout == "from the host\n"
    juju.exec("echo from the unit > reply.txt", unit=f"{APP}/0")
    juju.scp(f"{APP}/0:reply.txt", tmp_path / "reply.txt")
    assert (tmp_path / "reply.txt").read_text() == "from the unit\n"


def test_refresh_runs_upgrade_charm(juju: jubilant.Juju):
    juju.refresh(APP, path=CHARM)
    status = juju.wait(lambda s: s.apps[APP].charm_rev == 1 and jubilant.all_agents_idle(s, APP))
    assert status.apps[APP].charm == "local:greeter-1"
    assert "event=upgrade-charm" in juju.debug_log(limit=300)


def test_scale_and_remove(juju: jubilant.Juju):
    juju.remove_unit(APP, num_units=1)
    juju.remove_relation(APP, "postgresql-k8s")
    status = juju.wait(lambda s: jubilant.all_blocked(s, APP))
    assert list(status.apps[APP].units) == [f"{APP}/0"]
    juju.remove_application("postgresql-k8s")
    assert "postgresql-k8s" not in juju.status().apps
