#!/usr/bin/env python3
"""Runs every test of TalentPort against one or more builds and prints one closing line:
'N passed, N failed' (', N skipped' when any were skipped).

For each build: the cmocka unit tests (each test case counted), the fuzz corpus replay, and the
API tests (tests/api, Python unittest, each starting the real `talentport serve`).
Under a sanitizer build, any sanitizer report fails the test that produced it.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAN_ENV = {
    'ASAN_OPTIONS': 'detect_leaks=1:abort_on_error=0:halt_on_error=1:exitcode=66',
    'UBSAN_OPTIONS': 'halt_on_error=1:print_stacktrace=1:exitcode=67',
    'LSAN_OPTIONS': 'exitcode=68',
}
SAN_MARKS = ('ERROR: AddressSanitizer', 'ERROR: LeakSanitizer', 'runtime error:')

totals = {'passed': 0, 'failed': 0, 'skipped': 0}
failures = []


def record(label, passed, failed, skipped=0, detail=''):
    totals['passed'] += passed
    totals['failed'] += failed
    totals['skipped'] += skipped
    status = 'ok' if failed == 0 else 'FAIL'
    print(f'  {status:4} {label}: {passed} passed, {failed} failed' +
          (f', {skipped} skipped' if skipped else ''), flush=True)
    if failed:
        failures.append((label, detail))


def introspect_tests(build):
    out = subprocess.run(['meson', 'introspect', '--tests', build], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def run_unit(build, env, tag):
    for t in introspect_tests(build):
        cmd = t['cmd']
        label = f'[{tag}] {t["suite"][0] if t["suite"] else ""}/{t["name"]}'
        start = time.monotonic()
        p = subprocess.run(cmd, cwd=t.get('workdir') or build, env=env, capture_output=True,
                           text=True, errors='replace', timeout=600)
        out = p.stdout + p.stderr
        npass = sum(int(x) for x in re.findall(r'\[  PASSED  \] (\d+) test', out))
        nfail = sum(int(x) for x in re.findall(r'\[  FAILED  \] (\d+) test', out))
        nskip = sum(int(x) for x in re.findall(r'\[  SKIPPED \] (\d+) test', out))
        if npass + nfail + nskip == 0:  # not a cmocka program: one test by exit status
            npass, nfail = (1, 0) if p.returncode == 0 else (0, 1)
        elif p.returncode != 0 and nfail == 0:
            nfail = 1
        if any(m in out for m in SAN_MARKS):
            nfail = max(nfail, 1)
        record(f'{label} ({time.monotonic() - start:.1f}s)', npass, nfail, nskip, out[-4000:])


def run_api(build, env, tag):
    env = dict(env)
    env['TALENTPORT_BIN'] = os.path.join(os.path.abspath(build), 'talentport')
    env['PYTHONDONTWRITEBYTECODE'] = '1'
    report = os.path.join(os.path.abspath(build), 'api-results.json')
    env['TALENTPORT_API_REPORT'] = report
    start = time.monotonic()
    p = subprocess.run([sys.executable, os.path.join(ROOT, 'tests', 'api', 'runner.py')],
                       cwd=ROOT, env=env, capture_output=True, text=True, errors='replace',
                       timeout=1800)
    try:
        with open(report) as f:
            r = json.load(f)
    except (OSError, ValueError):
        r = {'passed': 0, 'failed': 1, 'skipped': 0}
    failed = r['failed'] + (1 if p.returncode != 0 and r['failed'] == 0 else 0)
    record(f'[{tag}] api ({time.monotonic() - start:.1f}s)', r['passed'], failed, r['skipped'],
           (p.stdout + p.stderr)[-8000:])


def run_browser(build, env, tag):
    """The browser tests (tests/browser, playwright-core driving Debian's chromium) against
    the real server of this build; screenshots land in tests/browser/screenshots/."""
    env = dict(env)
    env['TALENTPORT_BIN'] = os.path.join(os.path.abspath(build), 'talentport')
    report = os.path.join(os.path.abspath(build), 'browser-results.json')
    env['TALENTPORT_BROWSER_REPORT'] = report
    if os.path.exists(report):
        os.unlink(report)
    start = time.monotonic()
    p = subprocess.run(['node', os.path.join(ROOT, 'tests', 'browser', 'run.mjs')], cwd=ROOT, env=env,
                       capture_output=True, text=True, errors='replace', timeout=1800)
    try:
        with open(report) as f:
            r = json.load(f)
    except (OSError, ValueError):
        r = {'passed': 0, 'failed': 1, 'skipped': 0}
    failed = r['failed'] + (1 if p.returncode != 0 and r['failed'] == 0 else 0)
    record(f'[{tag}] browser ({time.monotonic() - start:.1f}s)', r['passed'], failed, r.get('skipped', 0),
           (p.stdout + p.stderr)[-8000:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', action='append', required=True)
    ap.add_argument('--only', choices=['unit', 'api', 'browser'])
    args = ap.parse_args()
    for build in args.build:
        env = dict(os.environ)
        tag = os.path.basename(os.path.normpath(build))
        opts = subprocess.run(['meson', 'introspect', '--buildoptions', build],
                              capture_output=True, text=True).stdout
        if 'address' in next((json.dumps(o['value']) for o in json.loads(opts or '[]')
                              if o['name'] == 'b_sanitize'), ''):
            env.update(SAN_ENV)
        print(f'== {tag}', flush=True)
        if args.only in (None, 'unit'):
            run_unit(build, env, tag)
        if args.only in (None, 'api'):
            run_api(build, env, tag)
        # the web UI is the same for every build: its browser tests run against the first
        if args.only in (None, 'browser') and build == args.build[0]:
            run_browser(build, env, tag)
    for label, detail in failures:
        print(f'\n--- {label} ---\n{detail}')
    line = f'{totals["passed"]} passed, {totals["failed"]} failed'
    if totals['skipped']:
        line += f', {totals["skipped"]} skipped'
    print(line)
    return 1 if totals['failed'] else 0


if __name__ == '__main__':
    sys.exit(main())
