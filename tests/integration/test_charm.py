"""The charm user's path, end to end, with every charm deployed from a local path: deploy with the rock,
integrate PostgreSQL (the postgresql-k8s partner: a real PostgreSQL in its own container), reconfigure,
rotate the secret key, scale out and in, ingress (the ingress-proxy partner really routes its URL), cpu
and memory on the StatefulSet after `juju trust`, refresh to a new revision, remove the relation.
The tests run in order and share one model; each asserts what a user sees: statuses, the env in the
unit's Pebble plan, HTTP answers."""

import base64
import json
import re
import time
import urllib.error
import urllib.request

import jubilant
import yaml

APP = "example-app"
PG = "postgresql-k8s"
INGRESS = "ingress-proxy"
MISSING_POSTGRESQL = "missing integrations: postgresql"


def unit_address(juju: jubilant.Juju, unit: str = f"{APP}/0") -> str:
    return juju.status().apps[APP].units[unit].address


def app_url(juju: jubilant.Juju, unit: str = f"{APP}/0") -> str:
    return f"http://{unit_address(juju, unit)}:8080"


def http(method: str, url: str, body: dict | None = None, cookie: str | None = None):
    request = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers


def answering(url: str, timeout: float = 120):
    """GET url until it answers 200 (a restarted app takes a moment); the last answer otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            answer = http("GET", url)
            if answer[0] == 200 or time.monotonic() > deadline:
                return answer
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(1)


def pebble(juju: jubilant.Juju, unit: str, *args: str) -> str:
    return juju.ssh(unit, "/charm/bin/pebble", *args, container="app")


def plan_env(juju: jubilant.Juju, unit: str = f"{APP}/0") -> dict[str, str]:
    """The app service's environment in the unit's Pebble plan: what the app runs with."""
    return yaml.safe_load(pebble(juju, unit, "plan"))["services"]["expressjs"].get("environment", {})


def changes(juju: jubilant.Juju, unit: str = f"{APP}/0") -> list[str]:
    """The summaries of the unit's Pebble changes, oldest first."""
    lines = pebble(juju, unit, "changes").splitlines()[1:]
    return [re.split(r"\s{2,}", line.strip(), maxsplit=4)[-1] for line in lines if line.strip()]


def app_restarts(juju: jubilant.Juju, unit: str = f"{APP}/0") -> int:
    return sum(1 for summary in changes(juju, unit) if re.search(r'(Replan|Restart|Start) service "expressjs"', summary))


def update_status_runs(juju: jubilant.Juju, unit: str) -> int:
    log = juju.cli("debug-log", "--replay", "--no-tail", "--include", unit)
    return sum(1 for line in log.splitlines() if 'ran "update-status" hook' in line)


def wait_for_update_status(juju: jubilant.Juju, units: list[str], timeout: float = 300) -> None:
    before = {unit: update_status_runs(juju, unit) for unit in units}
    deadline = time.monotonic() + timeout
    while any(update_status_runs(juju, unit) <= before[unit] for unit in units):
        assert time.monotonic() < deadline, f"no update-status hook ran on {units} within {timeout} s"
        time.sleep(5)


def peer_fqdns_once_joined(juju: jubilant.Juju, units: list[str], timeout: float = 300) -> dict[str, str]:
    """Each unit's APP_PEER_FQDNS once it names every other unit: a unit can be active before its peers'
    relation-joined hooks ran (seen on Juju 4.1), and the charm names them when those hooks run."""
    deadline = time.monotonic() + timeout
    while True:
        peers = {unit: plan_env(juju, unit).get("APP_PEER_FQDNS", "") for unit in units}
        if all(len(fqdns.split(",")) == len(units) - 1 for fqdns in peers.values() if fqdns) and all(peers.values()):
            return peers
        assert time.monotonic() < deadline, f"the units did not all name their {len(units) - 1} peers within {timeout} s: {peers}"
        time.sleep(5)


def provider_data(juju: jubilant.Juju, endpoint: str) -> dict[str, str]:
    """What the provider on the app's `endpoint` published in its application databag, as the unit sees it.

    Read with relation-get in the unit's hook context: `juju show-unit`'s application-data is the related
    application's databag on Juju 3.6 but the unit's own application's on 4.1.
    """
    related = juju.status().apps[APP].relations.get(endpoint, [])
    info = json.loads(juju.cli("show-unit", f"{APP}/0", "--format", "json"))[f"{APP}/0"]
    relation = next((r for r in info["relation-info"] if r["endpoint"] == endpoint), None)
    if not related or relation is None:
        return {}
    out = juju.exec("relation-get", "--format=json", "-r", str(relation["relation-id"]), "--app", "-", related[0].related_app, unit=f"{APP}/0")
    return json.loads(out.stdout) or {}


def unit_message(status: jubilant.Status, unit: str = f"{APP}/0") -> str:
    return status.apps[APP].units[unit].workload_status.message


def test_deploy_blocks_without_postgresql(juju: jubilant.Juju, charm_path, app_image):
    juju.deploy(charm_path, APP, resources={"app-image": app_image}, num_units=1)
    status = juju.wait(lambda s: jubilant.all_blocked(s, APP), error=jubilant.any_error)
    assert unit_message(status) == MISSING_POSTGRESQL


def test_postgresql_makes_the_app_serve_notes(juju: jubilant.Juju, partners):
    charm, resources = partners[PG]
    juju.deploy(charm, PG, resources=resources)
    juju.integrate(APP, PG)
    status = juju.wait(lambda s: jubilant.all_active(s, APP, PG), error=jubilant.any_error)

    # The provider's real server: its version is the workload version, its endpoint what the app connects to.
    assert re.fullmatch(r"\d+\.\d+", status.apps[PG].version), status.apps[PG].version
    published = provider_data(juju, "postgresql")
    assert published["version"] == status.apps[PG].version
    env = plan_env(juju)
    assert f"{env['POSTGRESQL_DB_HOSTNAME']}:{env['POSTGRESQL_DB_PORT']}" == published["endpoints"]
    assert env["POSTGRESQL_DB_NAME"] == APP
    assert re.fullmatch(r"relation_id_\d+", env["POSTGRESQL_DB_USERNAME"])
    # The migration (migrate.sh, run as `bash -eo pipefail migrate.sh`) ran once.
    assert [s for s in changes(juju) if s == 'Execute command "bash"'] == ['Execute command "bash"']

    url = app_url(juju)
    status_code, body, _ = http("POST", f"{url}/notes", {"text": "hello from the integration suite"})
    assert status_code in (200, 201), body
    status_code, body, _ = http("GET", f"{url}/notes")
    assert status_code == 200
    assert "hello from the integration suite" in [note["text"] for note in json.loads(body)]


def test_config_change_restarts_the_app_once(juju: jubilant.Juju):
    restarts = app_restarts(juju)
    juju.config(APP, {"node-env": "development"})
    juju.wait(lambda s: jubilant.all_active(s, APP) and plan_env(juju).get("NODE_ENV") == "development", error=jubilant.any_error, delay=2)
    juju.wait(lambda s: jubilant.all_agents_idle(s, APP), successes=5)
    assert app_restarts(juju) == restarts + 1
    status_code, body, _ = answering(app_url(juju) + "/")
    assert status_code == 200
    assert json.loads(body)["nodeEnv"] == "development"
    assert juju.config(APP)["node-env"] == "development"


def test_an_invalid_value_blocks_naming_the_option_and_reset_recovers(juju: jubilant.Juju):
    juju.config(APP, {"app-port": 0})
    status = juju.wait(lambda s: jubilant.all_blocked(s, APP), error=jubilant.any_error)
    assert unit_message(status) == "invalid options: app-port"
    juju.config(APP, reset="app-port")
    # Juju 4.1 runs no config-changed for --reset: the next update-status (1m) brings the unit back there.
    juju.wait(lambda s: jubilant.all_active(s, APP), error=jubilant.any_error)
    assert answering(app_url(juju) + "/")[0] == 200


def test_rotate_secret_key_logs_users_out(juju: jubilant.Juju):
    url = app_url(juju)
    status_code, _, headers = http("GET", f"{url}/login?user=alice")
    assert status_code == 200
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    assert http("GET", f"{url}/me", cookie=cookie)[0] == 200
    key = plan_env(juju)["APP_SECRET_KEY"]

    task = juju.run(f"{APP}/0", "rotate-secret-key")
    assert task.results["status"] == "success"
    juju.wait(lambda s: jubilant.all_active(s, APP) and plan_env(juju)["APP_SECRET_KEY"] != key, error=jubilant.any_error, delay=2)

    assert answering(f"{url}/")[0] == 200
    assert http("GET", f"{url}/me", cookie=cookie)[0] == 401


def test_three_units_share_one_key_and_know_their_peers(juju: jubilant.Juju):
    juju.add_unit(APP, num_units=2)
    units = [f"{APP}/{n}" for n in range(3)]
    status = juju.wait(lambda s: jubilant.all_active(s, APP) and len(s.apps[APP].units) == 3, error=jubilant.any_error)
    assert sorted(status.apps[APP].units) == units

    envs = {unit: plan_env(juju, unit) for unit in units}
    assert len({env["APP_SECRET_KEY"] for env in envs.values()}) == 1
    status_code, _, headers = http("GET", f"{app_url(juju)}/login?user=bob")
    assert status_code == 200
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    for unit in units:
        url = app_url(juju, unit)
        assert answering(f"{url}/")[0] == 200
        assert http("GET", f"{url}/me", cookie=cookie)[0] == 200, unit

    peers = peer_fqdns_once_joined(juju, units)
    for unit, fqdns in peers.items():
        names = set(fqdns.split(","))
        assert len(names) == 2 and not any(name.startswith(f"{APP}-{unit.split('/')[1]}.") for name in names), (unit, fqdns)
    wait_for_update_status(juju, units)
    assert {unit: plan_env(juju, unit)["APP_PEER_FQDNS"] for unit in units} == peers

    juju.remove_unit(APP, num_units=2)
    status = juju.wait(lambda s: jubilant.all_active(s, APP) and len(s.apps[APP].units) == 1, error=jubilant.any_error)
    assert list(status.apps[APP].units) == [f"{APP}/0"]
    assert http("GET", f"{app_url(juju)}/me", cookie=cookie)[0] == 200


def test_ingress_url_is_the_base_url_and_the_proxy_serves_it(juju: jubilant.Juju, partners):
    charm, resources = partners[INGRESS]
    juju.deploy(charm, INGRESS, resources=resources)
    juju.integrate(f"{APP}:ingress", f"{INGRESS}:ingress")
    model = juju.show_model().short_name

    def published_url() -> str | None:
        return json.loads(provider_data(juju, "ingress").get("ingress", "{}")).get("url")

    def routed(status: jubilant.Status) -> bool:
        return jubilant.all_active(status, APP, INGRESS) and published_url() is not None and plan_env(juju).get("APP_BASE_URL") == published_url()

    juju.wait(routed, error=jubilant.any_error, delay=2)
    base_url = published_url()
    assert base_url.endswith(f":8081/{model}-{APP}"), base_url
    status_code, body, _ = answering(app_url(juju) + "/")
    assert status_code == 200 and json.loads(body)["baseUrl"] == base_url

    # Through the proxy: the app's own page, and the notes it keeps in PostgreSQL.
    status_code, body, _ = answering(f"{base_url}/")
    assert status_code == 200 and json.loads(body)["baseUrl"] == base_url
    status_code, body, _ = http("GET", f"{base_url}/notes")
    assert status_code == 200
    assert "hello from the integration suite" in [note["text"] for note in json.loads(body)]


# Run with the unit's own service account, as one line: `juju exec` hands its words to a shell.
STATEFULSET_RESOURCES = """
import json, os, ssl, sys, urllib.request
sa = "/var/run/secrets/kubernetes.io/serviceaccount"
url = "https://%s:%s/apis/apps/v1/namespaces/%s/statefulsets/%s" % (os.environ["KUBERNETES_SERVICE_HOST"], os.environ["KUBERNETES_SERVICE_PORT"], sys.argv[1], sys.argv[2])
request = urllib.request.Request(url, headers={"Authorization": "Bearer " + open(sa + "/token").read().strip()})
spec = json.load(urllib.request.urlopen(request, context=ssl.create_default_context(cafile=sa + "/ca.crt"), timeout=10))
print(json.dumps({c["name"]: c.get("resources", {}) for c in spec["spec"]["template"]["spec"]["containers"]}))
"""


def test_trust_lets_cpu_and_memory_reach_the_statefulset(juju: jubilant.Juju):
    juju.config(APP, {"cpu": "500m", "memory": "512Mi"})
    status = juju.wait(lambda s: jubilant.all_blocked(s, APP), error=jubilant.any_error)
    assert unit_message(status) == f"run juju trust {APP} --scope=cluster to let the charm set the cpu and memory options"

    juju.trust(APP, scope="cluster")
    juju.wait(lambda s: jubilant.all_active(s, APP), error=jubilant.any_error)
    model = juju.show_model().short_name
    program = base64.b64encode(STATEFULSET_RESOURCES.encode()).decode()
    task = juju.exec(f"python3 -c 'import base64; exec(base64.b64decode(\"{program}\"))' {model} {APP}", unit=f"{APP}/0")
    resources = json.loads(task.stdout)["app"]
    assert resources["limits"] == {"cpu": "500m", "memory": "512Mi"}
    assert resources["requests"] == {"cpu": "500m", "memory": "512Mi"}
    juju.wait(lambda s: jubilant.all_active(s, APP), error=jubilant.any_error)
    assert answering(app_url(juju) + "/")[0] == 200


def test_refresh_to_a_new_revision_keeps_serving(juju: jubilant.Juju, charm_path, tmp_path):
    revision = juju.status().apps[APP].charm_rev
    repacked = tmp_path / charm_path.name
    repacked.write_bytes(charm_path.read_bytes())
    juju.refresh(APP, path=repacked)
    status = juju.wait(lambda s: s.apps[APP].charm_rev > revision and jubilant.all_active(s, APP), error=jubilant.any_error)
    assert status.apps[APP].charm_rev == revision + 1
    log = juju.cli("debug-log", "--replay", "--no-tail", "--include", f"{APP}/0")
    assert 'ran "upgrade-charm" hook' in log
    status_code, body, _ = answering(app_url(juju) + "/notes")
    assert status_code == 200
    assert "hello from the integration suite" in [note["text"] for note in json.loads(body)]


def test_removing_postgresql_blocks_again(juju: jubilant.Juju):
    juju.remove_relation(APP, PG)
    status = juju.wait(lambda s: jubilant.all_blocked(s, APP), error=jubilant.any_error)
    assert unit_message(status) == MISSING_POSTGRESQL
    print("\n" + juju.cli("status"))
