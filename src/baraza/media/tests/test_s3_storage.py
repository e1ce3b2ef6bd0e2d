"""Media in an S3-compatible bucket (BARAZA_MEDIA_STORAGE=s3, django-storages), tested through
S3's real HTTP protocol against moto's server on loopback: what scale-out deployments use."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.test import Client
from moto.server import ThreadedMotoServer

from baraza.conftest import People
from baraza.media import storage
from baraza.media.models import Medium, MediumStatus
from baraza.media.tests import files
from baraza.media.tests.submit import post_with_media

pytestmark = pytest.mark.django_db

BUCKET = "baraza-media"
CREDENTIALS = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret"}


@pytest.fixture
def bucket(settings: Any) -> Iterator[Any]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **CREDENTIALS)
    s3.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "media": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
                "location": "media",
                "default_acl": None,
            },
        },
    }
    try:
        yield s3
    finally:
        server.stop()


def test_a_reports_photo_is_kept_processed_and_served_from_the_bucket(
    bucket: Any,
    client: Client,
    people: People,
    tmp_path: Path,
    placed: Callable[[], AbstractContextManager[Any]],
) -> None:
    photo = files.make_jpeg(tmp_path / "p.jpg", (640, 480), gps_exif=True)
    payload = {"text": "", "platform": "x", "country": "KE", "category": "disinformation"}
    with placed():
        response = post_with_media(client, [photo], payload, people.amina.auth)
    assert response.status_code == 201, response.content
    medium = Medium.objects.get()
    assert medium.status == MediumStatus.READY, medium.failure

    keys = {item["Key"] for item in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert f"media/{storage.original_name(medium.sha256)}" in keys
    assert f"media/{storage.derivative_name(medium.sha256)}" in keys
    at_rest = bucket.get_object(Bucket=BUCKET, Key=f"media/{storage.original_name(medium.sha256)}")
    kept = at_rest["Body"].read()
    sent = photo.read_bytes()
    assert kept.startswith(b"gAAAAA")  # a Fernet token: encrypted in the bucket too
    assert all(sent[n : n + 24] not in kept for n in range(0, len(sent) - 24, 512))

    served = client.get(f"/api/media/{medium.pk}/derivative", headers=people.alice.auth)
    assert served.status_code == 200
    assert b"".join(served.streaming_content)[:3] == b"\xff\xd8\xff"  # type: ignore[attr-defined]
    assert storage.read_original(medium.sha256) == photo.read_bytes()
