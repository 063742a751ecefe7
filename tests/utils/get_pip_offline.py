"""Stand-in for the get-pip.py script that ansible-test downloads to bootstrap its venvs.

ansible-test runs ``python get_pip_<version>.py --disable-pip-version-check pip==X ...``
in a new virtualenv and looks for the script in ``~/.ansible/test/cache/`` first. Its
download host is not always reachable; this stand-in installs pip with ``ensurepip``
and then the requested packages from the configured package index (PyPI).
"""

import subprocess
import sys

DROP = {"--no-setuptools", "--no-wheel"}

if __name__ == "__main__":
    args = [arg for arg in sys.argv[1:] if arg not in DROP]
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade"])
    subprocess.check_call([sys.executable, "-m", "pip", "install"] + args)
