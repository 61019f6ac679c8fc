"""Drives Debian's hvac against a Coffer server and prints one JSON line of what it saw.

Run with /usr/bin/python3 (Debian's interpreter, where python3-hvac lives). The server
address and token come from VAULT_ADDR and VAULT_TOKEN, never from the command line.
"""
import json
import os
import sys
import uuid

import hvac
from hvac import exceptions


def main():
    client = hvac.Client(url=os.environ["VAULT_ADDR"], token=os.environ["VAULT_TOKEN"])
    kv = client.secrets.kv.v2
    key = "hvac/" + uuid.uuid4().hex[:8]
    seen = {"authenticated": client.is_authenticated()}

    kv.configure(max_versions=10, cas_required=False, delete_version_after="30m0s")
    seen["config"] = kv.read_configuration()["data"]
    kv.configure(max_versions=0, delete_version_after="0s")

    seen["v1"] = kv.create_or_update_secret(path=key, secret={"user": "app", "password": "p1"}, cas=0)["data"]["version"]
    try:
        kv.create_or_update_secret(path=key, secret={"user": "app"}, cas=0)
        seen["cas_conflict"] = None
    except exceptions.InvalidRequest as error:
        seen["cas_conflict"] = str(error)
    seen["v2"] = kv.create_or_update_secret(path=key, secret={"user": "app", "password": "p2"})["data"]["version"]
    seen["read_v1"] = kv.read_secret_version(path=key, version=1)["data"]["data"]
    seen["patched_version"] = kv.patch(path=key, secret={"password": "p3"})["data"]["version"]
    seen["read_latest"] = kv.read_secret_version(path=key)["data"]["data"]
    try:
        kv.read_secret_version(path="hvac/" + uuid.uuid4().hex)
        seen["missing"] = None
    except exceptions.InvalidPath:
        seen["missing"] = "InvalidPath"

    seen["listed"] = kv.list_secrets(path="hvac")["data"]["keys"]
    kv.update_metadata(path=key, max_versions=5, cas_required=False)
    metadata = kv.read_secret_metadata(path=key)["data"]
    seen["metadata"] = {k: metadata[k] for k in ("current_version", "max_versions", "oldest_version", "delete_version_after")}

    kv.delete_latest_version_of_secret(path=key)
    kv.delete_secret_versions(path=key, versions=[1])
    deleted = kv.read_secret_metadata(path=key)["data"]["versions"]
    seen["deleted"] = sorted(v for v, info in deleted.items() if info["deletion_time"])
    kv.undelete_secret_versions(path=key, versions=[1, 3])
    kv.destroy_secret_versions(path=key, versions=[2])
    after = kv.read_secret_metadata(path=key)["data"]["versions"]
    seen["after"] = {v: [bool(info["deletion_time"]), info["destroyed"]] for v, info in after.items()}
    seen["read_undeleted"] = kv.read_secret_version(path=key, version=1)["data"]["data"]

    kv.delete_metadata_and_all_versions(path=key)
    try:
        kv.read_secret_metadata(path=key)
        seen["gone"] = False
    except exceptions.InvalidPath:
        seen["gone"] = True

    mounts = client.sys.list_mounted_secrets_engines()
    seen["mount_options"] = mounts["data"]["secret/"]["options"]
    json.dump(seen, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
