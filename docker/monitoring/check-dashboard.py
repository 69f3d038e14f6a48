#!/usr/bin/env python3
"""Checks docker/monitoring/grafana/dashboards/collab.json (run by test.sh): valid JSON, unique panel ids, every query
on the provisioned data source, and every collab_* series named after an instrument the hub's C# sources create
(collab.chat.messages -> collab_chat_messages_total), so a renamed instrument cannot leave a panel silently empty."""
import json
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parents[2]
dashboard = json.loads((root / "docker/monitoring/grafana/dashboards/collab.json").read_text())
sources = "\n".join(p.read_text() for p in (root / "hub/src").rglob("*.cs"))
instruments = set(re.findall(r'Create(?:Counter|UpDownCounter|Histogram|ObservableUpDownCounter|ObservableGauge|ObservableCounter)<?\w*>?\(\s*"(collab\.[a-z_.]+)"\s*,\s*(?:[^,]+,\s*)?"([^"]*)"', sources))
known = set()
for name, unit in instruments:
    base = name.replace(".", "_")
    known.update({base, base + "_total", base + "_seconds", base + "_seconds_bucket", base + "_seconds_count", base + "_seconds_sum"})
errors = []
ids = [panel["id"] for panel in dashboard["panels"]]
if len(ids) != len(set(ids)):
    errors.append("panel ids repeat")
for panel in dashboard["panels"]:
    for target in panel["targets"]:
        if target["datasource"]["uid"] != "collab-prometheus":
            errors.append(f"{panel['title']}: query not on the provisioned data source")
        for series in re.findall(r"\bcollab_[a-z_]+", target["expr"]):
            if series not in known:
                errors.append(f"{panel['title']}: {series} is not exported by any instrument in hub/src")
if errors:
    print("\n".join(errors), file=sys.stderr)
    sys.exit(1)
print(f"dashboard: {len(ids)} panels, every collab_* series matches one of {len(instruments)} instruments")
