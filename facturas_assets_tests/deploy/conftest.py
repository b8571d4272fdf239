"""Fixtures for the production deployment tests: the prod Dagster instance over MariaDB and moto."""

from __future__ import annotations

import json
import secrets
import shutil
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import boto3
import pymysql
import pytest

from facturas_assets_tests import services

REPO = Path(__file__).resolve().parents[2]
PROD_INSTANCE_YAML = REPO / "dagster.yaml"


@dataclass(frozen=True)
class EcsWorld:
    """What the prod launcher finds in (moto's) AWS: cluster, network, the run task definition."""

    cluster_arn: str
    subnet_id: str
    security_group_id: str
    run_task_definition_arn: str
    daemon_task_arn: str
    compute_log_bucket: str


class _TaskMetadataHandler(BaseHTTPRequestHandler):
    """Answers GET {ECS_CONTAINER_METADATA_URI_V4}/task like the Fargate task metadata endpoint."""

    payload: dict[str, str] = {}

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path != "/task":
            self.send_error(404)
            return
        body = json.dumps(self.payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return


@pytest.fixture
def ecs_world(aws_env: str) -> EcsWorld:
    """A cluster, VPC, subnet, SG, the `facturas-run` task definition and a running daemon task."""
    suffix = uuid.uuid4().hex[:8]
    ec2 = boto3.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    # As in terraform/modules/network: awsvpc tasks and Cloud Map need DNS hostnames.
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.10.0/24")["Subnet"]["SubnetId"]
    sg = ec2.create_security_group(GroupName=f"ecs-{suffix}", Description="ecs", VpcId=vpc)
    ecs = boto3.client("ecs")
    cluster = ecs.create_cluster(clusterName=f"facturas-{suffix}")["cluster"]["clusterArn"]
    # The same shape as terraform/modules/ecs: family facturas-run, one container named `run`.
    run_td = ecs.register_task_definition(
        family=f"facturas-run-{suffix}",
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        cpu="1024",
        memory="4096",
        containerDefinitions=[
            {
                "name": "run",
                "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/facturas:1",
                "memory": 4096,
            }
        ],
    )["taskDefinition"]["taskDefinitionArn"]
    daemon_td = ecs.register_task_definition(
        family=f"dagster-daemon-{suffix}",
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        cpu="512",
        memory="1024",
        containerDefinitions=[{"name": "daemon", "image": "facturas:1", "memory": 1024}],
    )["taskDefinition"]["taskDefinitionArn"]
    daemon_task = ecs.run_task(
        cluster=cluster,
        taskDefinition=daemon_td,
        launchType="FARGATE",
        networkConfiguration={
            "awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [sg["GroupId"]]}
        },
    )["tasks"][0]["taskArn"]
    bucket = f"dagster-logs-{suffix}"
    boto3.client("s3").create_bucket(Bucket=bucket)
    return EcsWorld(cluster, subnet, sg["GroupId"], run_td, daemon_task, bucket)


@pytest.fixture
def task_metadata_endpoint(ecs_world: EcsWorld, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The daemon's own ECS task metadata endpoint (v4), naming its cluster and task."""
    handler = type(
        "Handler",
        (_TaskMetadataHandler,),
        {"payload": {"Cluster": ecs_world.cluster_arn, "TaskARN": ecs_world.daemon_task_arn}},
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("ECS_CONTAINER_METADATA_URI_V4", url)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def mysql_login(mysql_url: str) -> Iterator[tuple[str, str, str]]:
    """A MariaDB user with a URL-hostile password, granted the fixture's database only."""
    database = mysql_url.rsplit("/", 1)[1].split("?", 1)[0]
    user = f"dagster_{uuid.uuid4().hex[:8]}"
    password = "p@ss:/%#" + secrets.token_hex(6)
    conn = pymysql.connect(
        host=services.MYSQL_HOST,
        port=services.MYSQL_PORT,
        user=services.MYSQL_USER,
        password=services.MYSQL_PASSWORD,
    )
    try:
        with conn.cursor() as cur:
            cur.execute("CREATE USER %s@'%%' IDENTIFIED BY %s", (user, password))
            cur.execute(f"GRANT ALL PRIVILEGES ON `{database}`.* TO %s@'%%'", (user,))
        yield database, user, password
    finally:
        with conn.cursor() as cur:
            cur.execute("DROP USER IF EXISTS %s@'%%'", (user,))
        conn.close()


@pytest.fixture
def prod_dagster_home(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    mysql_login: tuple[str, str, str],
    ecs_world: EcsWorld,
    task_metadata_endpoint: str,
) -> Path:
    """DAGSTER_HOME holding the prod dagster.yaml, with the env the ECS task definitions set."""
    database, user, password = mysql_login
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PROD_INSTANCE_YAML, home / "dagster.yaml")
    env = {
        "DAGSTER_HOME": str(home),
        "DAGSTER_MYSQL_HOST": services.MYSQL_HOST,
        "DAGSTER_MYSQL_PORT": str(services.MYSQL_PORT),
        "DAGSTER_MYSQL_USER": user,
        "DAGSTER_MYSQL_PASSWORD": password,
        "DAGSTER_MYSQL_DB": database,
        "DAGSTER_RUN_TASK_DEFINITION": ecs_world.run_task_definition_arn.rsplit("/", 1)[1],
        "DAGSTER_COMPUTE_LOG_BUCKET": ecs_world.compute_log_bucket,
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return home
