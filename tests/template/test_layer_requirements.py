import tomllib

from tests.support.project import ROOT


def test_the_layer_installs_what_the_package_declares():
    # boto3 comes with the Lambda runtime; everything else the package needs must reach the layer.
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    layer = [
        line.strip()
        for line in (ROOT / "layers/shared/requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert sorted(d for d in declared if not d.startswith("boto3")) == sorted(layer)
