# Copyright (c) msp.accounts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Open an access review HTML report in headless Chromium and check what a reader sees.

    python tests/utils/access_review_browser.py REPORT.html --rows alice,bob,... --filter TEXT --visible alice,...

Checks: the page loads nothing from anywhere (no resource entry at all) and logs no script error; the people table
shows exactly the expected rows; typing TEXT in the filter hides every other row; a click on the Person header sorts
the rows (ascending, then descending); printed (print media), the controls are hidden and Chromium makes a PDF.

Needs Debian's chromium and chromium-driver (`make venv` installs them with apt-get when it runs as root) and
selenium (requirements-dev.txt). Where they are missing and cannot be installed (not root, or no apt-get), it prints
"SKIPPED: <reason>" and exits 0; as root with apt-get it fails instead, as CI must run it.
"""

import argparse
import base64
import os
import shutil
import sys
import time

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
DRIVERS = ("chromedriver",)


def unavailable(reason):
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("FAILED: %s; as root with apt-get this test must run: `make venv` installs Debian's chromium and "
              "chromium-driver" % reason)
        return 1
    print("SKIPPED: %s, and it cannot be installed here (not root, or no apt-get): the HTML report was not opened "
          "in a browser" % reason)
    return 0


def wait_for(condition, what, timeout=10):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.05)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report")
    parser.add_argument("--rows", required=True, help="comma-separated names of every person the table must show")
    parser.add_argument("--filter", required=True, help="text typed into the filter")
    parser.add_argument("--visible", required=True, help="comma-separated names left visible by the filter")
    args = parser.parse_args(argv)
    expected = sorted(args.rows.split(","))
    expected_visible = sorted(args.visible.split(","))

    browser = next((shutil.which(name) for name in BROWSERS if shutil.which(name)), None)
    driver_path = next((shutil.which(name) for name in DRIVERS if shutil.which(name)), None)
    if browser is None or driver_path is None:
        return unavailable("%s is not installed" % ("chromium" if browser is None else "chromium-driver (chromedriver)"))
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
    except ImportError as err:
        return unavailable("the Python package selenium is not installed (%s)" % err)

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        driver.get("file://" + os.path.abspath(args.report))
        table = wait_for(lambda: driver.find_elements(By.ID, "people-table"), "the people table")[0]

        def names(visible_only=True):
            rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
            return [row.find_element(By.CSS_SELECTOR, "td strong").get_attribute("textContent").strip() for row in rows
                    if not visible_only or row.is_displayed()]

        shown = sorted(names())
        assert shown == expected, "the table shows %s, expected %s" % (shown, expected)
        print("ok: the people table shows the %d expected rows" % len(shown))

        resources = driver.execute_script("return performance.getEntriesByType('resource').map(function (e) { return e.name; })")
        assert resources == [], "the page loaded %s" % resources
        errors = [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]
        assert not errors, "the browser logged errors: %s" % errors
        print("ok: nothing loaded from anywhere, no script error")

        box = driver.find_element(By.ID, "filter")
        box.send_keys(args.filter)
        wait_for(lambda: sorted(names()) == expected_visible, "the filter to leave %s" % expected_visible, timeout=5)
        visible = sorted(names())
        hidden = len(names(visible_only=False)) - len(visible)
        assert hidden == len(expected) - len(visible), "rows disappeared instead of being hidden"
        assert driver.find_element(By.ID, "shown").text == "%d of %d people shown" % (len(visible), len(expected))
        print("ok: typing %r in the filter leaves %s and hides the %d others" % (args.filter, ", ".join(visible), hidden))
        box.clear()
        box.send_keys(" ")  # an input event with an empty filter shows every row again
        wait_for(lambda: len(names()) == len(expected), "every row to come back")

        header = table.find_element(By.CSS_SELECTOR, "thead th")
        header.click()
        ascending = names()
        assert ascending == sorted(ascending, key=str.lower), "a click on Person did not sort: %s" % ascending
        header.click()
        descending = names()
        assert descending == sorted(descending, key=str.lower, reverse=True), "a second click did not reverse: %s" % descending
        print("ok: a click on the Person header sorts the rows, a second click reverses them")

        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        controls = driver.find_element(By.CSS_SELECTOR, ".controls").value_of_css_property("display")
        assert controls == "none", "printed, the filter controls show (display %s)" % controls
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        pdf = base64.b64decode(driver.print_page())
        assert pdf.startswith(b"%PDF") and len(pdf) > 1000, "printing gave no PDF"
        print("ok: printed, the controls are hidden; Chromium makes a %d-byte PDF" % len(pdf))
    finally:
        driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
