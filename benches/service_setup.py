"""Set up a running `sealgate serve` for the load benchmark (benches/service_load.sh): people with
enrolled faces, a seal in a cabinet and one in a lock, and approved applications with an original.

    python3 benches/service_setup.py URL ADMIN_TOKEN FACES_DIR ORIGINAL_PNG OUT_DIR

Writes OUT_DIR/env (shell variables: tokens, ids) for the load script. Standard library only.
"""

import json
import sys
import time
import urllib.request

URL, ADMIN, FACES, ORIGINAL, OUT = sys.argv[1:6]
KNN = f"{FACES}/face_recognition/examples/knn_examples"


def call(method, path, token, body=None, content_type="application/json"):
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(URL + path, data=data, method=method)
    req.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        req.add_header("Content-Type", content_type)
    with urllib.request.urlopen(req, timeout=600) as r:
        return json.loads(r.read() or b"null")


def read(path):
    with open(path, "rb") as f:
        return f.read()


def person(name, roles, unit="sales"):
    p = call("POST", "/api/v1/people", ADMIN, {"name": name, "roles": roles, "org_unit": unit})
    t = call("POST", f"/api/v1/people/{p['id']}/tokens", ADMIN, {})
    return p["id"], t["token"]


alice, alice_t = person("Alice", ["applicant"])
_, ann_t = person("Ann", ["approver"])
for photo in ("train/obama/obama.jpg", "train/obama/obama2.jpg"):
    call("POST", f"/api/v1/people/{alice}/faces", ADMIN, read(f"{KNN}/{photo}"), "image/jpeg")
seals = []
for name, kind in (("合同专用章", "contract"), ("财务专用章", "finance")):
    s = call("POST", "/api/v1/seals", ADMIN, {"name": name, "kind": kind, "org_unit": "sales"})
    for to in ("engraved", "registered"):
        call("POST", f"/api/v1/seals/{s['id']}/transitions", ADMIN, {"to": to, "reason": "load test"})
    seals.append(s["id"])
cab = call("POST", "/api/v1/devices", ADMIN, {"kind": "cabinet", "name": "cabinet", "org_unit": "sales", "slots": 2})
lock = call("POST", "/api/v1/devices", ADMIN, {"kind": "lock", "name": "lock", "org_unit": "sales"})
call("PUT", f"/api/v1/devices/{cab['id']}/slots/1", ADMIN, {"seal_id": seals[0]})
call("PUT", f"/api/v1/devices/{lock['id']}/slots/1", ADMIN, {"seal_id": seals[1]})
cab_t = call("POST", f"/api/v1/devices/{cab['id']}/tokens", ADMIN, {})["token"]
lock_t = call("POST", f"/api/v1/devices/{lock['id']}/tokens", ADMIN, {})["token"]
now = int(time.time() * 1000)
apps = []
for seal in seals:
    a = call("POST", "/api/v1/applications", alice_t, {
        "seal_id": seal, "purpose": "load test", "allowed_impressions": 1000,
        "valid_from": now - 3_600_000, "valid_until": now + 24 * 3_600_000})
    call("POST", f"/api/v1/applications/{a['id']}/original", alice_t, read(ORIGINAL), "image/png")
    call("POST", f"/api/v1/applications/{a['id']}/submit", alice_t, {})
    call("POST", f"/api/v1/applications/{a['id']}/approvals", ann_t, {"decision": "approve"})
    apps.append(a["id"])
with open(f"{OUT}/env", "w") as f:
    f.write(f"CABINET={cab['id']}\nCABINET_TOKEN={cab_t}\nLOCK={lock['id']}\nLOCK_TOKEN={lock_t}\nLOCK_APP={apps[1]}\n")
print(f"set up: cabinet {cab['id']}, lock {lock['id']}, applications {apps}", file=sys.stderr)
