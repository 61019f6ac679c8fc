"""Drives Debian's hvac (python3-hvac 0.11) against a Coffer server; prints one JSON line of what it saw.

Run with /usr/bin/python3, Debian's interpreter, where python3-hvac lives. The server
address and token come from VAULT_ADDR and VAULT_TOKEN, never from the command line, so
the token does not show in process listings; nothing here prints it.
"""
import json
import os
import sys
import uuid

import hvac
import requests
from hvac import exceptions


def refusal(call):
    """The exception class and Vault's errors a call raised, or None if it did not raise."""
    try:
        call()
    except exceptions.VaultError as error:
        return {"exception": type(error).__name__, "errors": error.errors}
    return None


def version_states(kv, key):
    versions = kv.read_secret_metadata(path=key)["data"]["versions"]
    return {number: {"deleted": info["deletion_time"] != "", "destroyed": info["destroyed"]} for number, info in versions.items()}


def main():
    session = requests.Session()
    session.trust_env = False  # a proxy from the environment must not stand between hvac and the server
    address, token = os.environ["VAULT_ADDR"], os.environ["VAULT_TOKEN"]
    client = hvac.Client(url=address, token=token, session=session)
    kv = client.secrets.kv.v2
    folder = "hvac-" + uuid.uuid4().hex[:8]
    key = folder + "/app"
    seen = {
        "authenticated": client.is_authenticated(),
        "stranger_authenticated": hvac.Client(url=address, token="not-a-token", session=session).is_authenticated(),
    }

    kv.configure(max_versions=10, cas_required=False, delete_version_after="30m0s")
    seen["configured"] = kv.read_configuration()["data"]
    kv.configure(cas_required=True, max_versions=0)
    seen["cas_required_refusal"] = refusal(lambda: kv.create_or_update_secret(path=folder + "/strict", secret={"a": "1"}))
    kv.configure(max_versions=0, cas_required=False, delete_version_after="0s")
    seen["restored"] = kv.read_configuration()["data"]

    seen["v1"] = kv.create_or_update_secret(path=key, secret={"user": "app", "password": "p1"}, cas=0)["data"]
    seen["cas_conflict"] = refusal(lambda: kv.create_or_update_secret(path=key, secret={"user": "other"}, cas=0))
    seen["v2"] = kv.create_or_update_secret(path=key, secret={"user": "app", "password": "p2"})["data"]["version"]
    seen["v3"] = kv.create_or_update_secret(path=key, secret={"user": "app", "password": "p3"}, cas=2)["data"]["version"]
    first = kv.read_secret_version(path=key, version=1)["data"]
    seen["read_v1"] = {"data": first["data"], "version": first["metadata"]["version"]}
    latest = kv.read_secret_version(path=key)["data"]
    seen["read_latest"] = {"data": latest["data"], "version": latest["metadata"]["version"]}
    seen["missing_path"] = refusal(lambda: kv.read_secret_version(path=folder + "/" + uuid.uuid4().hex))
    seen["missing_version"] = refusal(lambda: kv.read_secret_version(path=key, version=99))

    seen["patched_version"] = kv.patch(path=key, secret={"password": "p4", "extra": "x"})["data"]["version"]
    seen["read_patched"] = kv.read_secret_version(path=key)["data"]["data"]
    seen["patch_missing"] = refusal(lambda: kv.patch(path=folder + "/absent", secret={"a": "1"}))

    kv.create_or_update_secret(path=folder + "/sub/leaf", secret={"a": "1"})
    seen["listed"] = kv.list_secrets(path=folder)["data"]["keys"]
    seen["list_empty"] = refusal(lambda: kv.list_secrets(path=folder + "-empty"))

    kv.update_metadata(path=key, max_versions=5, cas_required=False)
    metadata = kv.read_secret_metadata(path=key)["data"]
    fields = ("current_version", "oldest_version", "max_versions", "cas_required", "delete_version_after", "custom_metadata")
    seen["metadata"] = {name: metadata[name] for name in fields}

    kv.delete_latest_version_of_secret(path=key)
    seen["read_deleted_latest"] = refusal(lambda: kv.read_secret_version(path=key))
    kv.delete_secret_versions(path=key, versions=[1])
    seen["after_delete"] = version_states(kv, key)
    kv.undelete_secret_versions(path=key, versions=[1, 4])
    seen["after_undelete"] = version_states(kv, key)
    kv.destroy_secret_versions(path=key, versions=[2])
    seen["after_destroy"] = version_states(kv, key)
    seen["read_destroyed"] = refusal(lambda: kv.read_secret_version(path=key, version=2))
    seen["read_undeleted_v1"] = kv.read_secret_version(path=key, version=1)["data"]["data"]
    kv.undelete_secret_versions(path=key, versions=[2])
    seen["destroyed_after_undelete"] = version_states(kv, key)["2"]

    kv.delete_metadata_and_all_versions(path=key)
    seen["metadata_after_forget"] = refusal(lambda: kv.read_secret_metadata(path=key))
    seen["data_after_forget"] = refusal(lambda: kv.read_secret_version(path=key))
    seen["listed_after_forget"] = kv.list_secrets(path=folder)["data"]["keys"]
    seen["rewritten_version"] = kv.create_or_update_secret(path=key, secret={"again": "1"})["data"]["version"]

    mounts = client.sys.list_mounted_secrets_engines()
    seen["mount"] = {field: mounts["data"]["secret/"][field] for field in ("type", "options")}
    seen["mount_at_top"] = mounts.get("secret/", {}).get("options")
    json.dump(seen, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
