"""The class-on-demand packages answer every name as the real package does, in any order of first use."""

from __future__ import annotations

import subprocess
import sys


def test_a_function_stays_a_function_after_its_output_form_loaded_its_module_first():
    # A fresh interpreter: the packages are swapped once per process and stay swapped.
    script = ("from pulumi_azure_native import authorization\n"
              "from amsterdam_cloud.scripts.offline import speedups\n"
              "speedups.install_class_on_demand_packages()\n"
              "authorization.get_client_config_output\n"
              "print(callable(authorization.get_client_config), type(authorization).__name__)\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["True", "ClassOnDemandPackage"]
