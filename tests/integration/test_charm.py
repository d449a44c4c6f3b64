"""The charm user's path, end to end: pack, deploy with the rock, integrate PostgreSQL and ingress,
reconfigure, rotate the secret key, remove a relation."""

import json
import urllib.request

import jubilant

APP = "example-app"


def app_url(juju: jubilant.Juju, unit: str = f"{APP}/0") -> str:
    address = juju.status().apps[APP].units[unit].address
    return f"http://{address}:8080"


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


def test_deploy_blocks_without_postgresql(juju: jubilant.Juju, charm_path, app_image):
    juju.deploy(charm_path, APP, resources={"app-image": app_image}, num_units=1)
    status = juju.wait(lambda s: jubilant.all_blocked(s, APP), error=jubilant.any_error)
    assert status.apps[APP].units[f"{APP}/0"].workload_status.message == "missing integrations: postgresql"


def test_postgresql_makes_the_app_serve_notes(juju: jubilant.Juju):
    juju.deploy("postgresql-k8s", trust=True)
    juju.integrate(APP, "postgresql-k8s")
    juju.wait(lambda s: jubilant.all_active(s, APP, "postgresql-k8s"), error=jubilant.any_error)

    url = app_url(juju)
    status, _, _ = http("POST", f"{url}/notes", {"text": "hello from the integration suite"})
    assert status in (200, 201)
    status, body, _ = http("GET", f"{url}/notes")
    assert status == 200
    assert "hello from the integration suite" in body


def test_ingress_sets_the_base_url(juju: jubilant.Juju):
    juju.deploy("traefik-k8s", channel="latest/stable", trust=True)
    juju.integrate(f"{APP}:ingress", "traefik-k8s:ingress")
    juju.wait(lambda s: jubilant.all_active(s, APP, "traefik-k8s"), error=jubilant.any_error)

    status, body, _ = http("GET", app_url(juju) + "/")
    assert status == 200
    base_url = json.loads(body)["baseUrl"]
    assert not base_url.startswith(f"http://{APP}.")  # the in-cluster URL was replaced by the ingress URL


def test_config_change_reaches_the_app(juju: jubilant.Juju):
    juju.config(APP, {"node-env": "development"})
    juju.wait(lambda s: jubilant.all_active(s, APP), error=jubilant.any_error)
    status, body, _ = http("GET", app_url(juju) + "/")
    assert status == 200
    assert json.loads(body)["nodeEnv"] == "development"
    assert juju.config(APP)["node-env"] == "development"


def test_rotate_secret_key_logs_users_out(juju: jubilant.Juju):
    url = app_url(juju)
    status, _, headers = http("GET", f"{url}/login?user=alice")
    assert status == 200
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    assert http("GET", f"{url}/me", cookie=cookie)[0] == 200

    task = juju.run(f"{APP}/0", "rotate-secret-key")
    assert task.results["status"] == "success"
    juju.wait(lambda s: jubilant.all_active(s, APP), error=jubilant.any_error)

    assert http("GET", f"{url}/me", cookie=cookie)[0] == 401


def test_removing_postgresql_blocks_again(juju: jubilant.Juju):
    juju.remove_relation(APP, "postgresql-k8s")
    status = juju.wait(lambda s: jubilant.all_blocked(s, APP), error=jubilant.any_error)
    assert status.apps[APP].units[f"{APP}/0"].workload_status.message == "missing integrations: postgresql"
