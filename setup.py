"""Packaging beyond what pyproject.toml can say: ``assets/`` stays at the top
of the repository (the data, its licences and hashes, in one place people
find), and the wheel ships it as the package ``nn_tui.assets``, so an
installed nn-tui finds the digits and the example CSVs next to its code.
``nn_tui.data.digits.asset_path`` looks in both places."""

from setuptools import find_namespace_packages, setup

setup(
    packages=find_namespace_packages(include=["nn_tui", "nn_tui.*"]) + ["nn_tui.assets", "nn_tui.assets.data"],
    package_dir={"nn_tui.assets": "assets"},
    package_data={
        "nn_tui": ["ui/*.tcss"],
        "nn_tui.assets": ["*.csv.gz", "*.md"],
        "nn_tui.assets.data": ["*.csv", "*.md"],
    },
)
