#!/usr/bin/env python3
"""Fills corpus/<target>/ with seed inputs taken from the repository's own
fixtures (and the shared conformance recordings when they are present).
Run from fuzz/: ./seed.py"""

import base64
import glob
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RECORDED = os.environ.get("ZM_RECORDED", "/work/shared/conformance/recorded")


def put(target, name, data):
    directory = os.path.join(ROOT, "fuzz", "corpus", target)
    os.makedirs(directory, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(directory, name), "wb") as file:
        file.write(data)


def copy(target, pattern):
    for path in sorted(glob.glob(os.path.join(ROOT, pattern))):
        with open(path, "rb") as file:
            put(target, os.path.basename(path), file.read())


copy("zone_file", "tests/fixtures/world/*.zone")
copy("root_hints", "tests/config/root.hints")
copy("root_hints", "tests/fixtures/world/hints.zone")
copy("backend_config", "tests/config/*/*.ini")
copy("backend_config", "etc/backend_config.ini")
copy("profile_json", "etc/profile-default.json")
copy("profile_json", "tests/fixtures/profile-fast.json")

# Replies and recordings from the conformance tree: a few lines each.
for data_path in sorted(glob.glob(os.path.join(RECORDED, "data", "*.data")))[:6]:
    stem = os.path.basename(data_path)[: -len(".data")]
    with open(data_path) as file:
        lines = file.readlines()[:2]
    index_path = os.path.join(RECORDED, "index", stem + ".index.jsonl")
    index = ""
    if os.path.exists(index_path):
        with open(index_path) as file:
            index = "".join(file.readlines()[:10])
    put("recording", stem, "".join(lines) + "\0" + index)
    for number, line in enumerate(lines):
        packets = json.loads(line.split(" ", 2)[2])
        for key, packet in list(packets.items())[:20]:
            if packet:
                wire = packet["Zonemaster::Engine::Packet"]["Zonemaster::LDNS::Packet"]["data"]
                put("dns_message", f"{stem}-{number}-{key[:12].replace('/', '_')}", base64.b64decode(wire))

requests = [
    ("version_info", None),
    ("profile_names", {}),
    ("get_language_tags", None),
    ("start_domain_test", {"domain": "example.se", "ipv4": True, "profile": "default",
                           "nameservers": [{"ns": "ns1.example.se", "ip": "192.0.2.1"}],
                           "ds_info": [{"keytag": 1, "algorithm": 8, "digtype": 2,
                                        "digest": "00" * 32}]}),
    ("get_test_results", {"id": "6f1c0e2a9b3d4c5e", "language": "en"}),
    ("test_progress", {"test_id": "6f1c0e2a9b3d4c5e"}),
    ("get_test_history", {"frontend_params": {"domain": "example.se"}, "offset": 0, "limit": 10}),
    ("add_api_user", {"username": "ops", "api_key": "key"}),
    ("add_batch_job", {"username": "ops", "api_key": "key", "domains": ["a.se", "b.se"]}),
    ("batch_status", {"batch_id": 1}),
    ("queue_status", {"limit": 5}),
    ("batch_list", {"limit": 5, "offset": 0}),
    ("get_ns_ips", {"domain": "example.se"}),
    ("get_data_from_parent_zone", {"domain": "example.se"}),
]
for number, (method, params) in enumerate(requests):
    request = {"jsonrpc": "2.0", "id": number, "method": method}
    if params is not None:
        request["params"] = params
    put("rpc_request", method, json.dumps(request))
put("rpc_request", "batch", json.dumps([{"jsonrpc": "2.0", "id": 1, "method": "version_info"}] * 3))

for name in ["example.se", "Räksmörgås.SE.", "xn--rksmrgs-5wao1o.se", ".", "a..b", "İ.tr",
             "0/25.2.0.192.in-addr.arpa", "\u3002se"]:
    put("domain_name", name.encode().hex(), name)
