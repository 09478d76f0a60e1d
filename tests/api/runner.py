#!/usr/bin/env python3
"""Runs the API tests (tests/api/test_*.py) and writes counts to $TALENTPORT_API_REPORT."""
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

suite = unittest.defaultTestLoader.discover(HERE, pattern='test_*.py')
result = unittest.TextTestRunner(verbosity=1, stream=sys.stdout).run(suite)
failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
skipped = len(result.skipped)
passed = result.testsRun - failed - skipped
report = os.environ.get('TALENTPORT_API_REPORT')
if report:
    with open(report, 'w') as f:
        json.dump({'passed': passed, 'failed': failed, 'skipped': skipped}, f)
sys.exit(0 if failed == 0 else 1)
