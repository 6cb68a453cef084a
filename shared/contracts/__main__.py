"""Export the contracts as JSON Schema: python -m shared.contracts [out_dir]."""
import json
import sys
from pathlib import Path

from shared.contracts.events import json_schemas

out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "schemas")
out.mkdir(parents=True, exist_ok=True)
for name, schema in json_schemas().items():
    (out / f"{name}.json").write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n")
print(f"wrote {len(json_schemas())} schemas to {out}")
