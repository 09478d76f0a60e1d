"""The authorization matrix: every route × every role × own / other's object.

reliability.md: "authorization matrix: route × role × own / other's object — every cell
tested, 0 unauthorized 2xx".

MATRIX below is the specification, written from the rules and not from the program's
answers:
  - the roles column of src/http/routes.c: no credentials → 401, a role the route does not
    list → 403;
  - the object rules of src/api/access.c: a record the caller may not see is answered 404,
    exactly like a missing one (talents: talent = their own record, employer = staff of
    their enterprise, liaison = talents an admin linked to them, town reviewer = their town,
    office reviewer and finance = all; enterprises: employer = their own, town reviewer =
    their town, liaison / office / finance = all);
  - the handlers' own rules (a town reviewer registers only in their town → 422; an
    employer registers only its own staff → 422; approving an unmatched registration → 422;
    linking a talent to an account that is not a liaison → 422; TOTP already enabled →
    409 ...).

Every route of routes.c must have a row (test_every_route_has_a_row and the matrix itself
fail otherwise), so a new route cannot be added without deciding who may call it.

Data for the cells is set up through the API by an office reviewer: towns T1 and T2 (the
first two of /reference/towns), enterprise A in T1 and B in T2, talent "own" employed at A
living in T1 and talent "other" at B in T2.  Accounts: a talent bound to "own", an employer
bound to A, a liaison of T1 linked to "own" (by the admin), a town reviewer of T1, an office
reviewer, finance, an auditor and an admin (with TOTP), plus anonymous.

Bodies (AuthorizationMatrix.cell): a body that succeeds for an allowed caller, except where
a deliberately minimal body is sent so the data stays stable — then the allowed callers'
cell says 422:
  POST /session {}                         422  (no login; a real login would be a new session)
  POST /session/password {}                422  (would end every session and token)
  POST /session/totp/confirm {code 000000} 422  (wrong code) / admin 409 (already enrolled)
  POST /registrations {}                   422
  POST /imports/talents (empty CSV)        422  unreadable_file (office reviewer, employer)
Calls that consume their object (approve / reject a registration, reset a password, revoke a
token) get a fresh object for each cell that is expected to succeed; forbidden cells use a
fixed object, which then must stay untouched.  DELETE /session runs last, since in the
cookie pass it ends the session the cells use.

Passes: bearer tokens (test_matrix_bearer); the cookie sessions with X-CSRF-Token and a
same-site Origin (test_matrix_cookie); cookie without the CSRF token and cross-site Origin
on every state-changing route (test_cookie_csrf_on_every_unsafe_route); sessions that must
still change their password or enrol TOTP on every route (test_restricted_sessions_...);
and the list routes' contents (test_list_scoping).

Each role sends from its own loopback address (127.0.0.x), so the per-address token bucket
of the login and registration routes is not what the cells measure.
"""
import csv
import io
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
import test_enterprises  # noqa: E402
import test_openapi  # noqa: E402
import test_talents  # noqa: E402

ROLES = ('anon', 'talent', 'employer', 'liaison', 'town_reviewer', 'office_reviewer',
         'finance', 'auditor', 'admin', 'expert')
USERS = ROLES[1:]
ROLE_IP = {r: f'127.0.0.{20 + i}' for i, r in enumerate(ROLES)}
SAFE = ('GET', 'HEAD', 'OPTIONS')

# Expected status per cell.  The tuple is in ROLES order:
#                 anon  talent employer liaison town  office finance auditor admin expert
# Object labels: 'own' / 'other' (the caller's / someone else's record, see the module
# docstring), '-' where the path names no object, or a label saying what the object is.
MATRIX = {
    # ---- session and tokens: any account; the caller's own tokens only ----
    ('POST', '/api/v1/session'): {
        '-':           (422, 422, 422, 422, 422, 422, 422, 422, 422, 422)},
    ('GET', '/api/v1/session'): {
        '-':           (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    ('POST', '/api/v1/session/password'): {
        '-':           (401, 422, 422, 422, 422, 422, 422, 422, 422, 422)},
    ('POST', '/api/v1/session/totp'): {
        '-':           (401, 201, 201, 201, 201, 201, 201, 201, 409, 201)},
    ('POST', '/api/v1/session/totp/confirm'): {
        '-':           (401, 422, 422, 422, 422, 422, 422, 422, 409, 422)},
    ('GET', '/api/v1/tokens'): {
        '-':           (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    ('POST', '/api/v1/tokens'): {
        '-':           (401, 201, 201, 201, 201, 201, 201, 201, 201, 201)},
    ('DELETE', '/api/v1/tokens/{id}'): {
        'own':         (401, 204, 204, 204, 204, 204, 204, 204, 204, 204),
        'other':       (401, 404, 404, 404, 404, 404, 404, 404, 404, 404)},

    # ---- registrations: anyone submits; office and town reviewers decide (town: T1's) ----
    ('POST', '/api/v1/registrations'): {
        '-':           (422, 422, 422, 422, 422, 422, 422, 422, 422, 422)},
    ('GET', '/api/v1/registrations'): {
        '-':           (401, 403, 403, 403, 200, 200, 403, 403, 403, 403)},
    ('POST', '/api/v1/registrations/{id}/approve'): {
        'own':         (401, 403, 403, 403, 200, 200, 403, 403, 403, 403),
        'other':       (401, 403, 403, 403, 404, 200, 403, 403, 403, 403),
        'unmatched':   (401, 403, 403, 403, 404, 422, 403, 403, 403, 403)},
    ('POST', '/api/v1/registrations/{id}/reject'): {
        'own':         (401, 403, 403, 403, 200, 200, 403, 403, 403, 403),
        'other':       (401, 403, 403, 403, 404, 200, 403, 403, 403, 403)},

    # ---- administration: admin only ----
    ('GET', '/api/v1/users'): {
        '-':           (401, 403, 403, 403, 403, 403, 403, 403, 200, 403)},
    ('POST', '/api/v1/users'): {
        '-':           (401, 403, 403, 403, 403, 403, 403, 403, 201, 403)},
    ('GET', '/api/v1/users/{id}'): {
        'own':         (401, 403, 403, 403, 403, 403, 403, 403, 200, 403),
        'other':       (401, 403, 403, 403, 403, 403, 403, 403, 200, 403)},
    ('PATCH', '/api/v1/users/{id}'): {
        'own':         (401, 403, 403, 403, 403, 403, 403, 403, 200, 403),
        'other':       (401, 403, 403, 403, 403, 403, 403, 403, 200, 403)},
    ('POST', '/api/v1/users/{id}/password-reset'): {
        'other':       (401, 403, 403, 403, 403, 403, 403, 403, 200, 403)},
    ('GET', '/api/v1/users/{id}/talents'): {
        'liaison':     (401, 403, 403, 403, 403, 403, 403, 403, 200, 403),
        'not-liaison': (401, 403, 403, 403, 403, 403, 403, 403, 422, 403)},
    ('POST', '/api/v1/users/{id}/talents'): {
        'liaison':     (401, 403, 403, 403, 403, 403, 403, 403, 204, 403),
        'not-liaison': (401, 403, 403, 403, 403, 403, 403, 403, 422, 403)},
    ('DELETE', '/api/v1/users/{id}/talents/{talent_id}'): {
        'liaison':     (401, 403, 403, 403, 403, 403, 403, 403, 204, 403),
        'not-liaison': (401, 403, 403, 403, 403, 403, 403, 403, 422, 403)},
    ('GET', '/api/v1/settings/security'): {
        '-':           (401, 403, 403, 403, 403, 403, 403, 403, 200, 403)},
    ('PATCH', '/api/v1/settings/security'): {
        '-':           (401, 403, 403, 403, 403, 403, 403, 403, 200, 403)},

    # ---- public reads; the industry table: office reviewers and admins ----
    ('GET', '/api/v1/health'): {
        '-':           (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    ('GET', '/api/v1/reference/{kind}'): {
        'towns':       (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        'unknown':     (404, 404, 404, 404, 404, 404, 404, 404, 404, 404)},
    ('POST', '/api/v1/reference/industries'): {
        '-':           (401, 403, 403, 403, 403, 201, 403, 403, 201, 403)},
    ('PATCH', '/api/v1/reference/industries/{code}'): {
        'existing':    (401, 403, 403, 403, 403, 200, 403, 403, 200, 403),
        'unknown':     (401, 403, 403, 403, 403, 404, 403, 403, 404, 403)},

    # ---- talents ----
    ('GET', '/api/v1/talents'): {
        '-':           (401, 403, 200, 200, 200, 200, 200, 403, 403, 403)},
    # own: town T1, enterprise A; other: town T2, enterprise B (in the body).  The employer
    # cells follow talents.c ("an employer registers its own staff only": its own enterprise
    # → 201, another → 422 not_your_enterprise); at the time of writing every employer POST
    # is refused 403 field_forbidden, because api_talent_fields_allowed (access.c), meant
    # for PATCH, also forbids enterprise_id to employers on create.
    ('POST', '/api/v1/talents'): {
        'own':         (401, 403, 201, 403, 201, 201, 403, 403, 403, 403),
        'other':       (401, 403, 422, 403, 422, 201, 403, 403, 403, 403)},
    ('GET', '/api/v1/talents/{id}'): {
        'own':         (401, 200, 200, 200, 200, 200, 200, 403, 403, 403),
        'other':       (401, 404, 404, 404, 404, 200, 200, 403, 403, 403)},
    ('PATCH', '/api/v1/talents/{id}'): {
        'own':         (401, 200, 200, 403, 200, 200, 403, 403, 403, 403),
        'other':       (401, 404, 404, 403, 404, 200, 403, 403, 403, 403)},
    ('GET', '/api/v1/talents/{id}/employments'): {
        'own':         (401, 200, 200, 200, 200, 200, 200, 403, 403, 403),
        'other':       (401, 404, 404, 404, 404, 200, 200, 403, 403, 403)},
    ('POST', '/api/v1/talents/{id}/employments'): {
        'own':         (401, 403, 403, 403, 201, 201, 403, 403, 403, 403),
        'other':       (401, 403, 403, 403, 404, 201, 403, 403, 403, 403)},
    ('PATCH', '/api/v1/talents/{id}/employments/{employment_id}'): {
        'own':         (401, 403, 200, 403, 200, 200, 403, 403, 403, 403),
        'other':       (401, 403, 404, 403, 404, 200, 403, 403, 403, 403)},
    # the talent themself and the staff who may see the talent, as GET /talents/{id}
    ('GET', '/api/v1/talents/{id}/entitlements'): {
        'own':         (401, 200, 200, 200, 200, 200, 200, 403, 403, 403),
        'other':       (401, 404, 404, 404, 404, 200, 200, 403, 403, 403)},

    # ---- enterprise self-identification (企业自主认定): the office qualifies and audits; the
    #      employer (own = A, other = B: both qualified for 2026) nominates its own staff; a
    #      nomination is seen by the office, its enterprise's employer and its talent ----
    ('POST', '/api/v1/self-identification/qualifications'): {
        '-':           (401, 403, 403, 403, 403, 201, 403, 403, 403, 403)},
    ('GET', '/api/v1/enterprises/{id}/self-identification'): {
        'own':         (401, 403, 200, 403, 403, 200, 403, 403, 403, 403),
        'other':       (401, 403, 404, 403, 403, 200, 403, 403, 403, 403)},
    ('PATCH', '/api/v1/enterprises/{id}/self-identification/{year}/quotas'): {
        'own':         (401, 403, 403, 403, 403, 200, 403, 403, 403, 403),
        'other':       (401, 403, 403, 403, 403, 200, 403, 403, 403, 403)},
    ('GET', '/api/v1/self-identifications'): {
        '-':           (401, 403, 200, 403, 403, 200, 403, 403, 403, 403)},
    # own: a talent employed at A; other: B's talent (not the employer's to see)
    ('POST', '/api/v1/self-identifications'): {
        'own':         (401, 403, 201, 403, 403, 403, 403, 403, 403, 403),
        'other':       (401, 403, 404, 403, 403, 403, 403, 403, 403, 403)},
    # own: A's nomination of talent "own"; other: B's nomination of talent "other"
    ('GET', '/api/v1/self-identifications/{id}'): {
        'own':         (401, 200, 200, 403, 403, 200, 403, 403, 403, 403),
        'other':       (401, 404, 404, 403, 403, 200, 403, 403, 403, 403)},
    ('POST', '/api/v1/self-identifications/{id}/audit'): {
        'own':         (401, 403, 403, 403, 403, 200, 403, 403, 403, 403),
        'other':       (401, 403, 403, 403, 403, 200, 403, 403, 403, 403)},
    ('POST', '/api/v1/self-identifications/{id}/revoke'): {
        'own':         (401, 403, 403, 403, 403, 200, 403, 403, 403, 403),
        'other':       (401, 403, 403, 403, 403, 200, 403, 403, 403, 403)},
    ('POST', '/api/v1/self-identifications/{id}/withdraw'): {
        'own':         (401, 403, 200, 403, 403, 403, 403, 403, 403, 403),
        'other':       (401, 403, 404, 403, 403, 403, 403, 403, 403, 403)},
    ('GET', '/api/v1/talents/{id}/self-identifications'): {
        'own':         (401, 200, 200, 403, 403, 200, 403, 403, 403, 403),
        'other':       (401, 404, 404, 403, 403, 200, 403, 403, 403, 403)},

    # ---- the policy pack: public reading and the public calculator (anyone, no object) ----
    ('GET', '/api/v1/policies'): {
        '-':           (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    ('GET', '/api/v1/policies/{id}'): {
        'existing':    (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        'unknown':     (404, 404, 404, 404, 404, 404, 404, 404, 404, 404)},
    ('POST', '/api/v1/calculator'): {
        '-':           (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},

    # ---- enterprises (own = A in T1, other = B in T2) ----
    ('GET', '/api/v1/enterprises'): {
        '-':           (401, 403, 403, 200, 200, 200, 200, 403, 403, 403)},
    ('POST', '/api/v1/enterprises'): {
        'own':         (401, 403, 403, 403, 201, 201, 403, 403, 403, 403),
        'other':       (401, 403, 403, 403, 422, 201, 403, 403, 403, 403)},
    ('GET', '/api/v1/enterprises/{id}'): {
        'own':         (401, 403, 200, 200, 200, 200, 200, 403, 403, 403),
        'other':       (401, 403, 404, 200, 404, 200, 200, 403, 403, 403)},
    ('PATCH', '/api/v1/enterprises/{id}'): {
        'own':         (401, 403, 200, 403, 200, 200, 403, 403, 403, 403),
        'other':       (401, 403, 404, 403, 404, 200, 403, 403, 403, 403)},

    # ---- bank accounts (docs/payments-accounts.md): 'own' = the own talent / enterprise A,
    #      'other' = the other talent / B, each with a first account set by the office in
    #      setup.  PUT sends an Idempotency-Key and an empty body: 422 for the allowed callers
    #      (404 first for an object they may not see); confirm-change: nothing to confirm
    #      (a first account holds nothing) → 409 ----
    ('GET', '/api/v1/talents/{id}/bank-account'): {
        'own':         (401, 200, 403, 403, 403, 200, 200, 403, 403, 403),
        'other':       (401, 404, 403, 403, 403, 200, 200, 403, 403, 403)},
    ('PUT', '/api/v1/talents/{id}/bank-account'): {
        'own':         (401, 422, 403, 403, 403, 422, 403, 403, 403, 403),
        'other':       (401, 404, 403, 403, 403, 422, 403, 403, 403, 403)},
    ('POST', '/api/v1/talents/{id}/bank-account/confirm-change'): {
        'own':         (401, 403, 403, 403, 403, 409, 409, 403, 403, 403),
        'other':       (401, 403, 403, 403, 403, 409, 409, 403, 403, 403)},
    ('GET', '/api/v1/talents/{id}/bank-account/history'): {
        'own':         (401, 403, 403, 403, 403, 200, 200, 403, 403, 403),
        'other':       (401, 403, 403, 403, 403, 200, 200, 403, 403, 403)},
    ('GET', '/api/v1/enterprises/{id}/bank-account'): {
        'own':         (401, 403, 200, 403, 403, 200, 200, 403, 403, 403),
        'other':       (401, 403, 404, 403, 403, 200, 200, 403, 403, 403)},
    ('PUT', '/api/v1/enterprises/{id}/bank-account'): {
        'own':         (401, 403, 422, 403, 403, 422, 403, 403, 403, 403),
        'other':       (401, 403, 404, 403, 403, 422, 403, 403, 403, 403)},
    ('POST', '/api/v1/enterprises/{id}/bank-account/confirm-change'): {
        'own':         (401, 403, 403, 403, 403, 409, 409, 403, 403, 403),
        'other':       (401, 403, 403, 403, 403, 409, 409, 403, 403, 403)},
    ('GET', '/api/v1/enterprises/{id}/bank-account/history'): {
        'own':         (401, 403, 403, 403, 403, 200, 200, 403, 403, 403),
        'other':       (401, 403, 403, 403, 403, 200, 200, 403, 403, 403)},

    # ---- the apprentice register: the employer for its own enterprise, office reviewers
    #      for any (POST sends {} so the data stays stable: 422 for the allowed callers) ----
    ('GET', '/api/v1/enterprises/{id}/apprentices'): {
        'own':         (401, 403, 200, 403, 403, 200, 403, 403, 403, 403),
        'other':       (401, 403, 404, 403, 403, 200, 403, 403, 403, 403)},
    ('POST', '/api/v1/enterprises/{id}/apprentices'): {
        'own':         (401, 403, 422, 403, 403, 422, 403, 403, 403, 403),
        'other':       (401, 403, 404, 403, 403, 422, 403, 403, 403, 403)},
    ('PATCH', '/api/v1/enterprises/{id}/apprentices/{apprentice_id}'): {
        'own':         (401, 403, 200, 403, 403, 200, 403, 403, 403, 403),
        'other':       (401, 403, 404, 403, 403, 200, 403, 403, 403, 403)},

    # ---- imports (office reviewers, and employers for their own staff; imports have no
    #      owner: 'own' was uploaded by the office reviewer, 'other' by the operator with
    #      `talentport import`) and exports ----
    ('POST', '/api/v1/imports/talents'): {
        '-':           (401, 403, 422, 403, 403, 422, 403, 403, 403, 403)},
    ('GET', '/api/v1/imports/{id}'): {
        'own':         (401, 403, 403, 403, 403, 200, 403, 403, 403, 403),
        'other':       (401, 403, 403, 403, 403, 200, 403, 403, 403, 403)},
    ('GET', '/api/v1/imports/{id}/report'): {
        'own':         (401, 403, 403, 403, 403, 200, 403, 403, 403, 403),
        'other':       (401, 403, 403, 403, 403, 200, 403, 403, 403, 403)},
    ('GET', '/api/v1/exports/talents'): {
        '-':           (401, 403, 200, 200, 200, 200, 200, 403, 403, 403)},
    ('GET', '/api/v1/exports/template'): {
        '-':           (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)},

    # ---- team review (docs/team-review.md).  Rounds: own = R1 (open, the expert on its
    #      panel), other = R2 (open, the expert not on it), R3 scoring (the expert on it),
    #      R4 closed.  Teams: own = T1 in R1 (applied by employer A, led by talent "own"),
    #      other = T2 in R2 (employer B, led by "other"); T3 in R3; T4 in R4 (scored).
    #      Talents and employers see every round; an expert only its panels' rounds. ----
    ('GET', '/api/v1/team-rounds'): {
        '-':           (401, 200, 200, 403, 403, 200, 403, 403, 403, 200)},
    ('POST', '/api/v1/team-rounds'): {
        '-':           (401, 403, 403, 403, 403, 201, 403, 403, 403, 403)},
    ('GET', '/api/v1/experts'): {
        '-':           (401, 403, 403, 403, 403, 200, 403, 403, 403, 403)},
    ('GET', '/api/v1/team-rounds/{id}'): {
        'own':         (401, 200, 200, 403, 403, 200, 403, 403, 403, 200),
        'other':       (401, 200, 200, 403, 403, 200, 403, 403, 403, 404)},
    ('POST', '/api/v1/team-rounds/{id}/panel'): {
        'open':        (401, 403, 403, 403, 403, 201, 403, 403, 403, 403)},
    ('DELETE', '/api/v1/team-rounds/{id}/panel/{expert_id}'): {
        'open':        (401, 403, 403, 403, 403, 204, 403, 403, 403, 403)},
    ('POST', '/api/v1/team-rounds/{id}/scoring'): {
        'open':        (401, 403, 403, 403, 403, 200, 403, 403, 403, 403)},
    ('POST', '/api/v1/team-rounds/{id}/close'): {
        'scoring':     (401, 403, 403, 403, 403, 200, 403, 403, 403, 403)},
    ('GET', '/api/v1/team-rounds/{id}/ranking'): {
        'own':         (401, 403, 403, 403, 403, 200, 403, 403, 403, 403),
        'other':       (401, 403, 403, 403, 403, 200, 403, 403, 403, 403)},
    ('GET', '/api/v1/teams'): {
        '-':           (401, 200, 200, 403, 403, 200, 403, 403, 403, 200)},
    # own: leader "own" (the talent itself, employer A's staff); other: leader "other"
    ('POST', '/api/v1/teams'): {
        'own':         (401, 201, 201, 403, 403, 403, 403, 403, 403, 403),
        'other':       (401, 422, 422, 403, 403, 403, 403, 403, 403, 403)},
    ('GET', '/api/v1/teams/{id}'): {
        'own':         (401, 200, 200, 403, 403, 200, 403, 403, 403, 200),
        'other':       (401, 404, 404, 403, 403, 200, 403, 403, 403, 404)},
    ('POST', '/api/v1/teams/{id}/withdraw'): {
        'own':         (401, 200, 200, 403, 403, 403, 403, 403, 403, 403),
        'other':       (401, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    ('POST', '/api/v1/teams/{id}/decision'): {
        'scored':      (401, 403, 403, 403, 403, 200, 403, 403, 403, 403)},
    ('POST', '/api/v1/teams/{id}/conflict'): {
        'own':         (401, 403, 403, 403, 403, 403, 403, 403, 403, 201),
        'other':       (401, 403, 403, 403, 403, 403, 403, 403, 403, 404)},
    ('POST', '/api/v1/teams/{id}/scores'): {
        'own':         (401, 403, 403, 403, 403, 403, 403, 403, 403, 200),
        'other':       (401, 403, 403, 403, 403, 403, 403, 403, 403, 404)},

    # ---- certificates (issue 5 item 6): visible with their talent (own / other as for
    #      GET /talents/{id}); the office reviewer alone records and acts on them ('valid'
    #      and 'suspended' name the certificate's state, 'unknown' a missing one); the
    #      checker /verify is public and answers 200 with a status whatever the token ----
    ('POST', '/api/v1/certificates'): {
        '-':           (401, 403, 403, 403, 403, 201, 403, 403, 403, 403)},
    ('GET', '/api/v1/certificates/{id}'): {
        'own':         (401, 200, 200, 200, 200, 200, 200, 403, 403, 403),
        'other':       (401, 404, 404, 404, 404, 200, 200, 403, 403, 403)},
    ('GET', '/api/v1/certificates/{id}/pdf'): {
        'own':         (401, 200, 200, 200, 200, 200, 200, 403, 403, 403),
        'other':       (401, 404, 404, 404, 404, 200, 200, 403, 403, 403)},
    ('GET', '/api/v1/talents/{id}/certificates'): {
        'own':         (401, 200, 200, 200, 200, 200, 200, 403, 403, 403),
        'other':       (401, 404, 404, 404, 404, 200, 200, 403, 403, 403)},
    ('POST', '/api/v1/certificates/{id}/suspend'): {
        'valid':       (401, 403, 403, 403, 403, 200, 403, 403, 403, 403),
        'unknown':     (401, 403, 403, 403, 403, 404, 403, 403, 403, 403)},
    ('POST', '/api/v1/certificates/{id}/reinstate'): {
        'suspended':   (401, 403, 403, 403, 403, 200, 403, 403, 403, 403),
        'valid':       (401, 403, 403, 403, 403, 409, 403, 403, 403, 403)},
    ('POST', '/api/v1/certificates/{id}/revoke'): {
        'valid':       (401, 403, 403, 403, 403, 200, 403, 403, 403, 403),
        'unknown':     (401, 403, 403, 403, 403, 404, 403, 403, 403, 403)},
    ('POST', '/api/v1/certificates/{id}/renew'): {
        'valid':       (401, 403, 403, 403, 403, 201, 403, 403, 403, 403)},
    ('POST', '/api/v1/certificates/{id}/upgrade'): {
        'valid':       (401, 403, 403, 403, 403, 201, 403, 403, 403, 403)},
    ('GET', '/verify/{token}'): {
        'valid':       (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        'garbage':     (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},

    # ---- the audit log: auditors only (not even admins) ----
    ('GET', '/api/v1/audit'): {
        '-':           (401, 403, 403, 403, 403, 403, 403, 200, 403, 403)},
    ('GET', '/api/v1/audit/export'): {
        '-':           (401, 403, 403, 403, 403, 403, 403, 200, 403, 403)},

    # ---- applications through their workflow ('own': the own talent's, in employer review
    #      at A; 'other': the other talent's, submitted by B's employer, in town review in T2).
    #      Bodies that would consume the object are chosen so they are refused: a second
    #      application while one is open (409), the action close (409: the state does not
    #      allow it), an objection to an application not under announcement (404). ----
    ('GET', '/api/v1/applications'): {
        '-':           (401, 200, 200, 200, 200, 200, 403, 403, 403, 403)},
    ('POST', '/api/v1/applications'): {
        'own':         (401, 409, 409, 403, 403, 403, 403, 403, 403, 403),
        'other':       (401, 422, 404, 403, 403, 403, 403, 403, 403, 403)},
    ('POST', '/api/v1/identification/proposal'): {
        'own':         (401, 200, 200, 403, 200, 200, 403, 403, 403, 403),
        'other':       (401, 422, 404, 403, 404, 200, 403, 403, 403, 403)},
    # 快申快享: what a benefit application would hold (the matrix's talents hold no facts
    # for graduate-housing: an allowed caller who may see the talent gets 422 ineligible)
    ('GET', '/api/v1/benefits/prefill'): {
        'own':         (401, 422, 422, 403, 403, 422, 403, 403, 403, 403),
        'other':       (401, 422, 404, 403, 403, 422, 403, 403, 403, 403)},
    ('GET', '/api/v1/applications/{id}'): {
        'own':         (401, 200, 200, 200, 200, 200, 403, 403, 403, 403),
        'other':       (401, 404, 404, 404, 404, 200, 403, 403, 403, 403)},
    ('POST', '/api/v1/applications/{id}/actions'): {
        'own':         (401, 409, 409, 403, 409, 409, 403, 403, 403, 403),
        'other':       (401, 404, 404, 403, 404, 409, 403, 403, 403, 403)},
    # ---- evidence files of an application ('own' = app_own, in employer review; 'other' =
    #      app_other): the talent or its employer uploads and removes while the application
    #      is open; whoever may see the application reads them ----
    ('POST', '/api/v1/applications/{id}/files'): {
        'own':         (401, 201, 201, 403, 403, 403, 403, 403, 403, 403),
        'other':       (401, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    ('GET', '/api/v1/applications/{id}/files'): {
        'own':         (401, 200, 200, 200, 200, 200, 403, 403, 403, 403),
        'other':       (401, 404, 404, 404, 404, 200, 403, 403, 403, 403)},
    ('GET', '/api/v1/applications/{id}/files/{file_id}'): {
        'own':         (401, 200, 200, 200, 200, 200, 403, 403, 403, 403),
        'other':       (401, 404, 404, 404, 404, 200, 403, 403, 403, 403)},
    ('DELETE', '/api/v1/applications/{id}/files/{file_id}'): {
        'own':         (401, 204, 204, 403, 403, 403, 403, 403, 403, 403),
        'other':       (401, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    ('GET', '/api/v1/applications/{id}/objections'): {
        'own':         (401, 403, 403, 403, 403, 200, 403, 403, 403, 403),
        'other':       (401, 403, 403, 403, 403, 200, 403, 403, 403, 403)},
    ('POST', '/api/v1/applications/{id}/objections/{objection_id}/resolve'): {
        'missing':     (401, 403, 403, 403, 403, 404, 403, 403, 403, 403)},
    ('GET', '/api/v1/announcements'): {
        '-':           (200, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    ('GET', '/api/v1/announcements/{id}'): {
        'not-announced': (404, 404, 404, 404, 404, 404, 404, 404, 404, 404)},
    ('POST', '/api/v1/announcements/{id}/objections'): {
        'not-announced': (404, 404, 404, 404, 404, 404, 404, 404, 404, 404)},
    ('GET', '/api/v1/workflows/{kind}'): {
        'existing':    (401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        'unknown':     (401, 404, 404, 404, 404, 404, 404, 404, 404, 404)},
    ('GET', '/api/v1/calendar'): {
        '-':           (401, 200, 200, 200, 200, 200, 200, 200, 200, 200)},
    ('PUT', '/api/v1/calendar/{day}'): {
        'a-day':       (401, 403, 403, 403, 403, 200, 403, 403, 200, 403)},
    ('DELETE', '/api/v1/calendar/{day}'): {
        'missing':     (401, 403, 403, 403, 403, 404, 403, 403, 404, 403)},
    ('GET', '/api/v1/reminders'): {
        '-':           (401, 403, 403, 403, 200, 200, 403, 403, 403, 403)},

    # ---- payments (docs/payments.md): runs belong to no person — the office prepares,
    #      finance approves and exports, auditors read; talents and employers read only their
    #      own notices.  Fixed runs: run_draft (draft) and run_approved (approved), so the
    #      transitions answer 409 (wrong state) to the role allowed and 403 to the others;
    #      creating a run (an empty one: no entitlements) and setting a budget succeed. ----
    ('GET', '/api/v1/entitlements'): {
        '-':           (401, 403, 403, 403, 403, 200, 200, 200, 403, 403)},
    ('POST', '/api/v1/entitlements/confirm'): {
        '-':           (401, 403, 403, 403, 403, 409, 403, 403, 403, 403)},
    ('POST', '/api/v1/entitlements/{id}/cancel'): {
        'missing':     (401, 403, 403, 403, 403, 404, 403, 403, 403, 403)},
    ('PUT', '/api/v1/budgets/{policy}/{year}'): {
        'a-budget':    (401, 403, 403, 403, 403, 200, 403, 403, 403, 403)},
    ('GET', '/api/v1/notices'): {
        '-':           (401, 200, 200, 403, 403, 403, 403, 403, 403, 403)},
    # marking read: the caller's own notices only (own / another's: tests/api/test_notices_read.py);
    # no notice has that id, so a talent or employer gets 404, like for another's notice
    ('POST', '/api/v1/notices/{id}/read'): {
        'missing':     (401, 404, 404, 403, 403, 403, 403, 403, 403, 403)},
    ('POST', '/api/v1/notices/read-all'): {
        '-':           (401, 200, 200, 403, 403, 403, 403, 403, 403, 403)},
    ('GET', '/api/v1/payment-runs'): {
        '-':           (401, 403, 403, 403, 403, 200, 200, 200, 403, 403)},
    ('POST', '/api/v1/payment-runs'): {
        '-':           (401, 403, 403, 403, 403, 201, 403, 403, 403, 403)},
    ('GET', '/api/v1/payment-runs/{id}'): {
        'existing':    (401, 403, 403, 403, 403, 200, 200, 200, 403, 403),
        'missing':     (401, 403, 403, 403, 403, 404, 404, 404, 403, 403)},
    ('GET', '/api/v1/payment-runs/{id}/lines'): {
        'existing':    (401, 403, 403, 403, 403, 200, 200, 200, 403, 403)},
    ('GET', '/api/v1/payment-runs/{id}/waits'): {
        'existing':    (401, 403, 403, 403, 403, 200, 200, 200, 403, 403)},
    ('POST', '/api/v1/payment-runs/{id}/submit'): {
        'approved':    (401, 403, 403, 403, 403, 409, 403, 403, 403, 403)},
    ('POST', '/api/v1/payment-runs/{id}/approve'): {
        'draft':       (401, 403, 403, 403, 403, 403, 409, 403, 403, 403)},
    ('POST', '/api/v1/payment-runs/{id}/announcement-end'): {
        'draft':       (401, 403, 403, 403, 403, 409, 403, 403, 403, 403)},
    ('POST', '/api/v1/payment-runs/{id}/export'): {
        'draft':       (401, 403, 403, 403, 403, 403, 409, 403, 403, 403)},
    ('POST', '/api/v1/payment-runs/{id}/bank-result'): {
        'draft':       (401, 403, 403, 403, 403, 403, 409, 403, 403, 403)},
    # the files of a run (docs/payment-files.md): the bank file of a draft run is a 409 (a
    # GET on an approved run would export it and change the other cells' objects)
    ('GET', '/api/v1/payment-runs/{id}/bank-file'): {
        'draft':       (401, 403, 403, 403, 403, 403, 409, 403, 403, 403),
        'missing':     (401, 403, 403, 403, 403, 403, 404, 403, 403, 403)},
    # the matrix's runs have no lines: 409 no_lines for those who may read them
    ('GET', '/api/v1/payment-runs/{id}/payment-list.xlsx'): {
        'existing':    (401, 403, 403, 403, 403, 409, 409, 409, 403, 403),
        'missing':     (401, 403, 403, 403, 403, 404, 404, 404, 403, 403)},
    ('GET', '/api/v1/payment-runs/{id}/announcement.csv'): {
        'existing':    (401, 403, 403, 403, 403, 409, 409, 403, 403, 403),
        'missing':     (401, 403, 403, 403, 403, 404, 404, 403, 403, 403)},
    ('GET', '/api/v1/payment-runs/{id}/announcement.xlsx'): {
        'existing':    (401, 403, 403, 403, 403, 409, 409, 403, 403, 403)},
    ('POST', '/api/v1/payment-runs/{id}/bank-result-file'): {
        'draft':       (401, 403, 403, 403, 403, 403, 409, 403, 403, 403)},
    ('POST', '/api/v1/payment-runs/{id}/cancel'): {
        'approved':    (401, 403, 403, 403, 403, 409, 403, 403, 403, 403)},
    ('GET', '/api/v1/ledger/check'): {
        '-':           (401, 403, 403, 403, 403, 403, 200, 200, 403, 403)},
    ('POST', '/api/v1/recalculations'): {
        '-':           (401, 403, 403, 403, 403, 200, 403, 403, 403, 403)},
    ('POST', '/api/v1/entitlements/{id}/waive'): {
        'missing':     (401, 403, 403, 403, 403, 404, 403, 403, 403, 403)},
    ('GET', '/api/v1/adjustments'): {
        '-':           (401, 403, 403, 403, 403, 200, 200, 200, 403, 403)},
    ('GET', '/api/v1/reports/payments'): {
        '-':           (401, 403, 403, 403, 403, 200, 200, 200, 403, 403)},
    ('GET', '/api/v1/dashboard'): {
        '-':           (401, 403, 403, 403, 403, 200, 200, 200, 403, 403)},

    # last: in the cookie pass this ends the session the other cells use
    ('DELETE', '/api/v1/session'): {
        '-':           (401, 204, 204, 204, 204, 204, 204, 204, 204, 204)},
}


# Public unsafe routes (log in, register, the calculator) act on no session, so a browser
# that still holds an old cookie needs no CSRF token for them; the cross-site Origin refusal
# covers them.
PUBLIC_UNSAFE = {('POST', '/api/v1/session'), ('POST', '/api/v1/registrations'),
                 ('POST', '/api/v1/calculator'),
                 ('POST', '/api/v1/announcements/{id}/objections')}


def is_2xx(s):
    return 200 <= s < 300


class AuthorizationMatrix(unittest.TestCase):
    seq = 0

    # ------------------------------------------------------------------ setup

    @classmethod
    def next(cls):
        cls.seq += 1
        return cls.seq

    @classmethod
    def office(cls, method, path, body=None, raw=None, headers=None, expect=None):
        h = {'Authorization': 'Bearer ' + cls.tokens['office_reviewer']}
        h.update(headers or {})
        r = cls.server.request(method, path, body=body, raw=raw, headers=h)
        if expect is not None and r.status != expect:
            raise AssertionError(f'setup {method} {path}: {r.status} {r.body[:400]!r}')
        return r

    @classmethod
    def admin(cls, method, path, body=None, expect=None):
        r = cls.server.request(method, path, body=body,
                               headers={'Authorization': 'Bearer ' + cls.tokens['admin']})
        if expect is not None and r.status != expect:
            raise AssertionError(f'setup {method} {path}: {r.status} {r.body[:400]!r}')
        return r

    @classmethod
    def new_talent(cls, town, enterprise_id, name=None):
        n = cls.next()
        idn = test_talents.make_id(n % 1000, birth=f'19{70 + n // 1000:02d}0315')
        name = name or f'矩阵新人{n}'
        r = cls.office('POST', '/api/v1/talents',
                       {'name': name, 'id_number': idn, 'town': town,
                        'enterprise_id': enterprise_id}, expect=201)
        return {'id': r.json['id'], 'name': name, 'id_number': idn}

    @classmethod
    def new_certificate(cls, talent_id=None, suspended=False):
        """A tier-3 certificate (of a new talent in T1 unless talent_id); returns it."""
        if talent_id is None:
            talent_id = cls.new_talent(cls.t1, cls.ent_a['id'])['id']
        c = cls.office('POST', '/api/v1/certificates',
                       {'talent_id': talent_id, 'tier': 3, 'valid_from': '2026-01-01',
                        'basis': '矩阵测试'}, expect=201).json
        if suspended:
            cls.office('POST', f'/api/v1/certificates/{c["id"]}/suspend',
                       {'reason': '矩阵测试'}, expect=200)
        return c

    @classmethod
    def new_enterprise(cls, town):
        n = 7000 + cls.next()
        r = cls.office('POST', '/api/v1/enterprises',
                       test_enterprises.enterprise_body(n, town=town), expect=201)
        return r.json

    @classmethod
    def new_staff(cls, label):
        """A new talent employed (an open employment record) at A (own) or B (other)."""
        town, ent = (cls.t1, cls.ent_a) if label == 'own' else (cls.t2, cls.ent_b)
        t = cls.new_talent(town, ent['id'])
        cls.office('POST', f'/api/v1/talents/{t["id"]}/employments',
                   {'enterprise_id': ent['id'], 'started_on': '2020-01-01'}, expect=201)
        return t['id']

    @classmethod
    def nominate(cls, label, tid=None):
        """A's (own) or B's (other) nomination for 2026, of tid or of a new staff member."""
        tok = cls.tokens['employer'] if label == 'own' else cls.employer_b
        r = cls.server.request('POST', '/api/v1/self-identifications',
                               {'talent_id': tid or cls.new_staff(label), 'year': 2026,
                                'category': 3, 'justification': '矩阵测试：骨干'},
                               headers={'Authorization': 'Bearer ' + tok})
        if r.status != 201:
            raise AssertionError(f'nominate: {r.status} {r.body[:300]!r}')
        return r.json['id']

    @classmethod
    def register(cls, talent, name=None):
        """A registration for talent (matched when name is its name); returns the id."""
        n = cls.next()
        r = harness.request_from(
            cls.server, f'127.0.1.{n % 250 + 1}', 'POST', '/api/v1/registrations',
            {'kind': 'talent', 'username': f'mx-reg{n}', 'password': harness.PASSWORD,
             'name': name or talent['name'], 'id_number': talent['id_number']},
            headers={'Authorization': None})
        if r.status != 202:
            raise AssertionError(f'registration: {r.status} {r.body[:300]!r}')
        return r.json['id']

    @classmethod
    def new_user(cls, role='finance', **extra):
        n = cls.next()
        body = {'username': f'mx-tmp{n}', 'role': role}
        body.update(extra)
        return cls.admin('POST', '/api/v1/users', body, expect=201).json['user']['id']

    @classmethod
    def pdf_bytes(cls):
        """A small valid PDF, distinct each time (the same bytes twice are one file)."""
        return (b'%PDF-1.4\n% matrix ' + str(cls.next()).encode() + b'\n'
                b'1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n'
                b'2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n'
                b'3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n'
                b'trailer<</Root 1 0 R>>\n%%EOF\n')

    @classmethod
    def upload_file(cls, app, token):
        r = cls.server.request('POST', f'/api/v1/applications/{app}/files?filename=m.pdf',
                               raw=cls.pdf_bytes(),
                               headers={'Authorization': 'Bearer ' + token,
                                        'Content-Type': 'application/octet-stream'})
        if r.status != 201:
            raise AssertionError(f'setup upload: {r.status} {r.body[:300]!r}')
        return r.json['id']

    @classmethod
    def new_token(cls, role):
        r = cls.server.request('POST', '/api/v1/tokens',
                               {'name': f'mx-spare{cls.next()}', 'expires_in_days': 1},
                               headers={'Authorization': 'Bearer ' + cls.tokens[role]})
        if r.status != 201:
            raise AssertionError(f'token for {role}: {r.status} {r.body[:300]!r}')
        return r.json['item']['id']

    @classmethod
    def team_round(cls, experts=(), status='open', teams=0):
        """A team-review round with these experts on its panel and `teams` teams applied by
        employer A (leader "own"), brought to status; returns (round id, [team ids])."""
        n = cls.next()
        rid = cls.office('POST', '/api/v1/team-rounds', {'year': 2026, 'title': f'矩阵评审{n}'},
                         expect=201).json['id']
        for e in experts:
            cls.office('POST', f'/api/v1/team-rounds/{rid}/panel', {'expert_id': e}, expect=201)
        tids = [cls.apply_team(rid) for _ in range(teams)]
        if status in ('scoring', 'decided'):
            cls.office('POST', f'/api/v1/team-rounds/{rid}/scoring', {}, expect=200)
        if status == 'decided':
            cls.office('POST', f'/api/v1/team-rounds/{rid}/close', {}, expect=200)
        return rid, tids

    @classmethod
    def apply_team(cls, rid, token=None, leader=None):
        r = cls.server.request(
            'POST', '/api/v1/teams',
            {'round_id': rid, 'name': f'矩阵团队{cls.next()}', 'project_title': '矩阵项目',
             'leader_talent_id': leader or cls.own['id']},
            headers={'Authorization': 'Bearer ' + (token or cls.tokens['employer'])})
        if r.status != 201:
            raise AssertionError(f'setup team: {r.status} {r.body[:300]!r}')
        return r.json['id']

    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server()
        cls.tokens, cls.sessions, cls.user_ids = {}, {}, {}
        try:
            cls._setup()
        except Exception:
            cls.server.stop()
            raise

    @classmethod
    def _account(cls, role, *opts):
        s, _, _ = cls.server.account('mx-' + role.replace('_', '-'), role, *opts)
        cls.sessions[role] = s
        cls.tokens[role] = cls.server.bearer(s, 'matrix')
        cls.user_ids[role] = s.body['user']['id']

    @classmethod
    def _setup(cls):
        srv = cls.server
        cls._account('office_reviewer')
        towns = cls.office('GET', '/api/v1/reference/towns', expect=200).json['items']
        cls.t1, cls.t2 = towns[0]['code'], towns[1]['code']
        cls.ent_a = cls.new_enterprise(cls.t1)
        cls.ent_b = cls.new_enterprise(cls.t2)
        cls.own = cls.new_talent(cls.t1, cls.ent_a['id'], name='矩阵本人甲')
        cls.other = cls.new_talent(cls.t2, cls.ent_b['id'], name='矩阵他人乙')
        cls.emp_own = cls.office('POST', f'/api/v1/talents/{cls.own["id"]}/employments',
                                 {'enterprise_id': cls.ent_a['id'], 'started_on': '2020-01-01'},
                                 expect=201).json['id']
        cls.emp_other = cls.office('POST', f'/api/v1/talents/{cls.other["id"]}/employments',
                                   {'enterprise_id': cls.ent_b['id'],
                                    'started_on': '2020-01-01'}, expect=201).json['id']

        cls._account('talent', '--talent-id', str(cls.own['id']))
        cls._account('employer', '--enterprise-id', str(cls.ent_a['id']))
        cls._account('liaison', '--town', cls.t1)
        cls._account('town_reviewer', '--town', cls.t1)
        cls._account('finance')
        cls._account('auditor')
        cls._account('admin')
        cls._account('expert')
        cls.admin('POST', f'/api/v1/users/{cls.user_ids["liaison"]}/talents',
                  {'talent_id': cls.own['id']}, expect=204)

        # payments: an empty draft run and an empty approved one (prepared by the office,
        # approved by finance with its password)
        cls.run_draft = cls.office('POST', '/api/v1/payment-runs', {'period': '2019-01'},
                                   headers={'Idempotency-Key': 'mx-setup-run-1'},
                                   expect=201).json['id']
        cls.run_approved = cls.office('POST', '/api/v1/payment-runs', {'period': '2019-02'},
                                      headers={'Idempotency-Key': 'mx-setup-run-2'},
                                      expect=201).json['id']
        cls.office('POST', f'/api/v1/payment-runs/{cls.run_approved}/submit', {},
                   headers={'Idempotency-Key': 'mx-setup-run-3'}, expect=200)
        r = srv.request('POST', f'/api/v1/payment-runs/{cls.run_approved}/approve',
                        {'password': harness.PASSWORD},
                        headers={'Authorization': 'Bearer ' + cls.tokens['finance'],
                                 'Idempotency-Key': 'mx-setup-run-4'})
        if r.status != 200:
            raise AssertionError(f'approve: {r.status} {r.body[:300]!r}')

        # applications: own (the talent applies; its employer A confirms next) and other
        # (B's employer applies for its staff: town review in T2)
        r = srv.request('POST', '/api/v1/applications',
                        {'kind': 'identification', 'claimed_tier': 5},
                        headers={'Authorization': 'Bearer ' + cls.tokens['talent']})
        if r.status != 201:
            raise AssertionError(f'application: {r.status} {r.body[:300]!r}')
        cls.app_own = r.json['id']
        s, _, _ = srv.account('mx-employer-b', 'employer', '--enterprise-id', str(cls.ent_b['id']))
        cls.employer_b = srv.bearer(s, 'matrix')
        r = srv.request('POST', '/api/v1/applications',
                        {'kind': 'identification', 'claimed_tier': 5,
                         'talent_id': cls.other['id']},
                        headers={'Authorization': 'Bearer ' + cls.employer_b})
        if r.status != 201:
            raise AssertionError(f'application: {r.status} {r.body[:300]!r}')
        cls.app_other = r.json['id']

        # self-identification: A and B qualified for 2026 with room for every cell; an
        # employer account for B; A's nomination of "own" and B's of "other"
        cls.employer_b = srv.bearer(s, 'matrix')   # B's employer, made just above
        # an evidence file on each application
        cls.file_own = cls.upload_file(cls.app_own, cls.tokens['talent'])
        cls.file_other = cls.upload_file(cls.app_other, cls.employer_b)
        for e in (cls.ent_a, cls.ent_b):
            cls.office('POST', '/api/v1/self-identification/qualifications',
                       {'enterprise_id': e['id'], 'year': 2026}, expect=201)
            cls.office('PATCH', f'/api/v1/enterprises/{e["id"]}/self-identification/2026/quotas',
                       {'category': 3, 'quota': 1000}, expect=200)
        cls.si_own = cls.nominate('own', cls.own['id'])
        cls.si_other = cls.nominate('other', cls.other['id'])

        # bank accounts (first accounts: nothing to confirm) of own / other and of A / B
        for kind, bid, name, number in (
                ('talents', cls.own['id'], cls.own['name'], '6200000000000005'),
                ('talents', cls.other['id'], cls.other['name'], '4111111111111111'),
                ('enterprises', cls.ent_a['id'], cls.ent_a['name'], '350016510000525001234'),
                ('enterprises', cls.ent_b['id'], cls.ent_b['name'], '350016510000525009876')):
            cls.office('PUT', f'/api/v1/{kind}/{bid}/bank-account',
                       {'bank': '中国银行', 'branch': '晋江支行', 'account_name': name,
                        'account_number': number, 'current_password': harness.PASSWORD,
                        'reason': '矩阵测试开户'},
                       headers={'Idempotency-Key': f'mx-setup-{kind}-{bid}'}, expect=200)
        # an apprentice of A and one of B
        cls.appr_own, cls.appr_other = (
            cls.office('POST', f'/api/v1/enterprises/{e["id"]}/apprentices',
                       {'name': f'矩阵学徒{k}', 'id_number': test_talents.make_id(900 + k),
                        'level': 'intermediate', 'enrolled_on': '2026-03-01'},
                       expect=201).json['id']
            for k, e in enumerate((cls.ent_a, cls.ent_b)))
        # objects for the admin routes: a second liaison to link and unlink, a bystander
        cls.liaison2 = cls.new_user('liaison', towns=[cls.t1])
        cls.bystander = cls.new_user('finance')
        # other people's tokens: the office reviewer's, and the auditor's for the office
        cls.spare_token = {'office_reviewer': cls.new_token('office_reviewer'),
                           'auditor': cls.new_token('auditor')}
        # registrations matched to "own" (T1) and "other" (T2), and one matching nothing
        cls.reg_own = cls.register(cls.own)
        cls.reg_other = cls.register(cls.other)
        cls.reg_unmatched = cls.register(cls.own, name='不是本人')
        cls.office('POST', '/api/v1/reference/industries',
                   {'code': 'MXOWN', 'name_zh': '矩阵产业', 'name_en': 'Matrix industry'},
                   expect=201)
        # certificates of "own" and "other"; a valid and a suspended one of bystanders
        cls.cert_own = cls.new_certificate(cls.own['id'])
        cls.cert_other = cls.new_certificate(cls.other['id'])
        cls.cert_valid = cls.new_certificate()
        cls.cert_suspended = cls.new_certificate(suspended=True)

        # team review (see the team rows of MATRIX)
        cls.spare_expert = cls.new_user('expert')
        me = cls.user_ids['expert']
        cls.r1, (cls.team1,) = cls.team_round([me], 'open', 1)
        cls.r2, _ = cls.team_round([], 'open', 0)
        cls.team2 = cls.apply_team(cls.r2, cls.employer_b, cls.other['id'])
        cls.r3, (cls.team3,) = cls.team_round([me, cls.spare_expert], 'scoring', 1)
        cls.r4, (cls.team4,) = cls.team_round([cls.spare_expert], 'decided', 1)

        # imports, each with one bad row so each has an error report
        bad = test_talents.make_id(999, birth='19600101')
        bad = bad[:17] + ('0' if bad[17] != '0' else '1')
        csv_bytes = f'姓名,身份证号\r\n坏行,{bad}\r\n'.encode('utf-8')
        r = cls.office('POST', '/api/v1/imports/talents?filename=own.csv', raw=csv_bytes,
                       headers={'Content-Type': 'text/csv'}, expect=201)
        cls.import_own = r.json['id']
        path = os.path.join(srv.dir, 'operator-import.csv')
        with open(path, 'wb') as f:
            f.write(csv_bytes)
        p = harness.run_cli('import', 'talents', path, '--db', srv.db,
                            '--report', os.path.join(srv.dir, 'operator-report.csv'))
        if p.returncode not in (0, 1):
            raise AssertionError('talentport import: ' + p.stderr.decode('utf-8', 'replace'))
        cls.import_other = None
        for i in range(cls.import_own + 1, cls.import_own + 5):
            r = cls.office('GET', f'/api/v1/imports/{i}')
            if r.status == 200 and r.json.get('filename') != 'own.csv':
                cls.import_other = i
                break
        if cls.import_other is None:
            raise AssertionError('the operator\'s import was not found')

    @classmethod
    def tearDownClass(cls):
        report = cls.server.stop()
        if report:
            raise AssertionError('sanitizer report from the server:\n' + report[-6000:])

    # ------------------------------------------------------------------ cells

    def other_token(self, role):
        return self.spare_token['auditor' if role == 'office_reviewer' else 'office_reviewer']

    def cell(self, route, role, label, expect):
        """(path, request kwargs) for one cell.  Objects a successful call consumes are made
        fresh when the cell expects success."""
        method, pattern = route
        fresh = is_2xx(expect)
        own_or = (lambda a, b: a if label == 'own' else b)
        tid = own_or(self.own['id'], self.other['id'])
        eid = own_or(self.ent_a['id'], self.ent_b['id'])
        n = self.next()
        body = None
        raw = None
        ctype = None
        headers = None
        path = pattern

        if pattern == '/api/v1/session':
            body = {} if method == 'POST' else None
        elif pattern == '/api/v1/session/password':
            body = {}
        elif pattern == '/api/v1/session/totp':
            body = {}
        elif pattern == '/api/v1/session/totp/confirm':
            body = {'code': '000000'}
        elif pattern == '/api/v1/tokens':
            body = {'name': f'matrix-{n}', 'expires_in_days': 1} if method == 'POST' else None
        elif pattern == '/api/v1/tokens/{id}':
            if label == 'own':
                tok = self.new_token(role) if role != 'anon' else self.other_token(role)
            else:
                tok = self.other_token(role)
            path = f'/api/v1/tokens/{tok}'
        elif pattern == '/api/v1/registrations':
            body = {} if method == 'POST' else None
        elif pattern in ('/api/v1/registrations/{id}/approve',
                         '/api/v1/registrations/{id}/reject'):
            approve = pattern.endswith('approve')
            if label == 'unmatched':
                reg = self.reg_unmatched
            elif not fresh:
                reg = own_or(self.reg_own, self.reg_other)
            elif approve:   # approving creates an account bound to the talent: a new talent
                reg = self.register(self.new_talent(own_or(self.t1, self.t2), eid))
            else:
                reg = self.register(own_or(self.own, self.other))
            path = pattern.replace('{id}', str(reg))
            body = {} if approve else {'reason': '矩阵测试：驳回'}
        elif pattern == '/api/v1/users':
            body = {'username': f'mx-new{n}', 'role': 'finance'} if method == 'POST' else None
        elif pattern == '/api/v1/experts':
            pass
        elif pattern == '/api/v1/users/{id}':
            uid = (self.user_ids.get(role) or self.bystander) if label == 'own' else self.bystander
            path = f'/api/v1/users/{uid}'
            if method == 'PATCH':
                body = {'display_name': f'矩阵{n}'}
        elif pattern == '/api/v1/users/{id}/password-reset':
            uid = self.new_user() if fresh else self.bystander
            path = f'/api/v1/users/{uid}/password-reset'
            body = {}
        elif pattern == '/api/v1/users/{id}/talents':
            uid = self.liaison2 if label == 'liaison' else self.user_ids['talent']
            path = f'/api/v1/users/{uid}/talents'
            body = {'talent_id': self.own['id']} if method == 'POST' else None
        elif pattern == '/api/v1/users/{id}/talents/{talent_id}':
            uid = self.liaison2 if label == 'liaison' else self.user_ids['talent']
            path = f'/api/v1/users/{uid}/talents/{self.own["id"]}'
        elif pattern == '/api/v1/settings/security':
            body = {} if method == 'PATCH' else None
        elif pattern == '/api/v1/health':
            pass
        elif pattern == '/api/v1/reference/{kind}':
            path = '/api/v1/reference/' + ('towns' if label == 'towns' else 'no-such-table')
        elif pattern == '/api/v1/reference/industries':
            body = {'code': f'MX{n}', 'name_zh': f'矩阵产业{n}', 'name_en': f'Matrix {n}'}
        elif pattern == '/api/v1/reference/industries/{code}':
            path = '/api/v1/reference/industries/' + ('MXOWN' if label == 'existing'
                                                      else 'MXNOSUCH')
            body = {'name_en': f'Matrix industry {n}'}
        elif pattern == '/api/v1/talents':
            if method == 'POST':
                idn = test_talents.make_id(n % 1000, birth=f'19{70 + n // 1000:02d}0316')
                body = {'name': f'矩阵新人{n}', 'id_number': idn,
                        'town': own_or(self.t1, self.t2), 'enterprise_id': eid}
        elif pattern == '/api/v1/talents/{id}':
            path = f'/api/v1/talents/{tid}'
            if method == 'PATCH':
                body = {'email': f'mx{n}@example.com'}
        elif pattern == '/api/v1/talents/{id}/employments':
            path = f'/api/v1/talents/{tid}/employments'
            if method == 'POST':   # a closed record: the current employer stays as it is
                body = {'enterprise_id': eid, 'started_on': '2001-01-01',
                        'ended_on': '2001-12-31'}
        elif pattern == '/api/v1/talents/{id}/employments/{employment_id}':
            emp = own_or(self.emp_own, self.emp_other)
            path = f'/api/v1/talents/{tid}/employments/{emp}'
            body = {'position': f'岗位{n}'}
        elif pattern == '/api/v1/talents/{id}/entitlements':
            path = f'/api/v1/talents/{tid}/entitlements?period=2026'
        elif pattern == '/api/v1/self-identification/qualifications':
            body = {'enterprise_id': self.new_enterprise(self.t1)['id'] if fresh
                    else self.ent_a['id'], 'year': 2026}
        elif pattern == '/api/v1/enterprises/{id}/self-identification':
            path = f'/api/v1/enterprises/{eid}/self-identification?year=2026'
        elif pattern == '/api/v1/enterprises/{id}/self-identification/{year}/quotas':
            path = f'/api/v1/enterprises/{eid}/self-identification/2026/quotas'
            body = {'category': 3, 'quota': 1000}
        elif pattern == '/api/v1/self-identifications':
            if method == 'POST':
                staff = self.new_staff('own') if fresh else self.own['id']
                body = {'talent_id': own_or(staff, self.other['id']), 'year': 2026,
                        'category': 3, 'justification': f'矩阵测试{n}'}
        elif pattern.startswith('/api/v1/self-identifications/{id}'):
            # audit, revoke and withdraw consume their nomination; GET reads the fixed ones
            consumes = method == 'POST'
            nid = self.nominate(label) if fresh and consumes else own_or(self.si_own,
                                                                          self.si_other)
            path = pattern.replace('{id}', str(nid))
            if pattern.endswith('/audit'):
                body = {'note': f'矩阵审核{n}'}
            elif pattern.endswith('/revoke'):
                body = {'reason': f'矩阵撤销{n}'}
            elif pattern.endswith('/withdraw'):
                body = {}
        elif pattern == '/api/v1/talents/{id}/self-identifications':
            path = f'/api/v1/talents/{tid}/self-identifications'
        elif pattern == '/api/v1/policies':
            pass
        elif pattern == '/api/v1/policies/{id}':
            path = '/api/v1/policies/' + ('talent-allowance' if label == 'existing'
                                          else 'no-such-policy')
        elif pattern == '/api/v1/calculator':
            body = {'facts': {'person': {'id': f'mx{n}', 'short_term': False,
                                         'tier': {'level': 3, 'from': '2024-01-01'},
                                         'insured_months': {'2026': list(range(1, 13))}}},
                    'period': '2026'}
        elif pattern == '/api/v1/enterprises':
            if method == 'POST':
                body = test_enterprises.enterprise_body(7000 + n, town=own_or(self.t1, self.t2))
        elif pattern == '/api/v1/enterprises/{id}':
            path = f'/api/v1/enterprises/{eid}'
            if method == 'PATCH':
                body = {'contact_name': f'联系人{n}'}
        elif '/bank-account' in pattern:
            kind = pattern.split('/')[3]   # talents | enterprises
            path = pattern.replace('{id}', str(tid if kind == 'talents' else eid))
            if method == 'PUT':
                body = {}
                headers = {'Idempotency-Key': f'mx-cell-{n}'}
            elif method == 'POST':
                body = {}
        elif pattern == '/api/v1/enterprises/{id}/apprentices':
            path = f'/api/v1/enterprises/{eid}/apprentices'
            if method == 'POST':
                body = {}
        elif pattern == '/api/v1/enterprises/{id}/apprentices/{apprentice_id}':
            ap = own_or(self.appr_own, self.appr_other)
            path = f'/api/v1/enterprises/{eid}/apprentices/{ap}'
            body = {'name': f'学徒{n}'}
        elif pattern == '/api/v1/imports/talents':
            raw, ctype = b'', 'text/csv'
        elif pattern in ('/api/v1/imports/{id}', '/api/v1/imports/{id}/report'):
            path = pattern.replace('{id}', str(own_or(self.import_own, self.import_other)))
        elif pattern == '/api/v1/certificates':
            tal = self.new_talent(self.t1, self.ent_a['id'])['id'] if fresh else self.own['id']
            body = {'talent_id': tal, 'tier': 4, 'valid_from': '2026-01-01', 'basis': '矩阵'}
        elif pattern in ('/api/v1/certificates/{id}', '/api/v1/certificates/{id}/pdf'):
            cid = own_or(self.cert_own, self.cert_other)['id']
            path = pattern.replace('{id}', str(cid))
        elif pattern == '/api/v1/talents/{id}/certificates':
            path = f'/api/v1/talents/{tid}/certificates'
        elif pattern.startswith('/api/v1/certificates/{id}/'):
            action = pattern.rsplit('/', 1)[1]
            if label == 'unknown':
                cid = 999999
            elif fresh:   # each success consumes a certificate in that state
                cid = self.new_certificate(suspended=label == 'suspended')['id']
            else:
                cid = (self.cert_suspended if label == 'suspended' else self.cert_valid)['id']
            path = f'/api/v1/certificates/{cid}/{action}'
            body = {'tier': 2} if action == 'upgrade' else {'reason': '矩阵测试'}
            if action == 'renew':
                body = {}
        elif pattern == '/verify/{token}':
            path = '/verify/' + (self.cert_own['token'] if label == 'valid' else 'not-a-code')
        elif pattern in ('/api/v1/exports/talents', '/api/v1/exports/template',
                         '/api/v1/audit', '/api/v1/audit/export'):
            pass
        elif pattern == '/api/v1/applications':
            if method == 'POST':
                body = {'kind': 'identification', 'claimed_tier': 5, 'talent_id': tid}
                if role == 'talent' and label == 'own':
                    body.pop('talent_id')
        elif pattern == '/api/v1/applications/{id}':
            path = f'/api/v1/applications/{own_or(self.app_own, self.app_other)}'
        elif pattern == '/api/v1/applications/{id}/files':
            path = f'/api/v1/applications/{own_or(self.app_own, self.app_other)}/files'
            if method == 'POST':
                path += '?filename=cell.pdf'
                raw, ctype = self.pdf_bytes(), 'application/octet-stream'
        elif pattern == '/api/v1/applications/{id}/files/{file_id}':
            app = own_or(self.app_own, self.app_other)
            fid = own_or(self.file_own, self.file_other)
            if method == 'DELETE' and fresh:
                fid = self.upload_file(self.app_own, self.tokens['talent'])
            path = f'/api/v1/applications/{app}/files/{fid}'
        elif pattern == '/api/v1/benefits/prefill':
            path = '/api/v1/benefits/prefill?policy=graduate-housing&period=2026'
            if not (role == 'talent' and label == 'own'):
                path += f'&talent_id={tid}'
        elif pattern == '/api/v1/identification/proposal':
            body = {} if (role == 'talent' and label == 'own') else {'talent_id': tid}
        elif pattern == '/api/v1/applications/{id}/actions':
            path = f'/api/v1/applications/{own_or(self.app_own, self.app_other)}/actions'
            body = {'action': 'close', 'comment': '矩阵'}
        elif pattern == '/api/v1/applications/{id}/objections':
            path = f'/api/v1/applications/{own_or(self.app_own, self.app_other)}/objections'
        elif pattern == '/api/v1/applications/{id}/objections/{objection_id}/resolve':
            path = f'/api/v1/applications/{self.app_own}/objections/999999/resolve'
            body = {'outcome': 'dismissed', 'resolution': '矩阵测试'}
        elif pattern == '/api/v1/announcements':
            pass
        elif pattern == '/api/v1/announcements/{id}':
            path = f'/api/v1/announcements/{self.app_own}'
        elif pattern == '/api/v1/announcements/{id}/objections':
            path = f'/api/v1/announcements/{self.app_own}/objections'
            body = {'reason': '矩阵测试的异议理由'}
        elif pattern == '/api/v1/workflows/{kind}':
            path = '/api/v1/workflows/' + ('identification' if label == 'existing' else 'nope')
        elif pattern == '/api/v1/calendar':
            path = '/api/v1/calendar?year=2026'
        elif pattern == '/api/v1/calendar/{day}':
            path = '/api/v1/calendar/' + ('2030-01-02' if method == 'PUT' else '2031-01-01')
            if method == 'PUT':
                body = {'kind': 'holiday', 'name': '矩阵'}
        elif pattern == '/api/v1/reminders':
            pass
        elif pattern == '/api/v1/dashboard':
            pass
        elif pattern in ('/api/v1/entitlements', '/api/v1/entitlements/confirm', '/api/v1/entitlements/{id}/cancel',
                         '/api/v1/entitlements/{id}/waive',
                         '/api/v1/budgets/{policy}/{year}', '/api/v1/notices',
                         '/api/v1/ledger/check', '/api/v1/recalculations',
                         '/api/v1/adjustments', '/api/v1/reports/payments') or \
                pattern.startswith('/api/v1/payment-runs'):
            path, body = self.payment_cell(method, pattern, label)
            if method == 'POST':
                headers = {'Idempotency-Key': f'mx-cell-{n}'}
        elif pattern in ('/api/v1/notices/{id}/read', '/api/v1/notices/read-all'):
            path, body = pattern.replace('{id}', '999999'), {}
        elif pattern.startswith('/api/v1/team-rounds') or pattern.startswith('/api/v1/teams'):
            path, body = self.team_cell(method, pattern, role, label, fresh, n)
        else:
            raise AssertionError(f'no request written for {method} {pattern}')
        return path, {'body': body, 'raw': raw, 'ctype': ctype, 'headers': headers}

    def payment_cell(self, method, pattern, label):
        """(path, body) of a payments cell (objects: see the payments rows of MATRIX)."""
        run = {'existing': self.run_draft, 'draft': self.run_draft,
               'approved': self.run_approved, 'missing': 999999}.get(label)
        path = pattern.replace('{id}', str(run if 'payment-runs' in pattern else 999999))
        path = path.replace('{policy}', 'matrix-policy').replace('{year}', '2026')
        if pattern == '/api/v1/reports/payments':
            path += '?year=2026&by=town'
        if pattern == '/api/v1/entitlements':
            path += '?period=2026&status=pending'
        bodies = {
            '/api/v1/entitlements/confirm': {'ids': [999999]},
            '/api/v1/entitlements/{id}/cancel': {'reason': '矩阵测试'},
            '/api/v1/budgets/{policy}/{year}': {'amount_fen': 100000},
            '/api/v1/payment-runs': {'period': '2019-03'},
            '/api/v1/payment-runs/{id}/approve': {'password': harness.PASSWORD},
            '/api/v1/payment-runs/{id}/bank-result': {'results': [{'line_id': 1, 'paid': True}]},
            '/api/v1/payment-runs/{id}/cancel': {'reason': '矩阵测试'},
            '/api/v1/recalculations': {'period': 2019},
            '/api/v1/entitlements/{id}/waive': {'reason': '矩阵测试'},
        }
        body = None
        if method in ('POST', 'PUT'):
            body = bodies.get(pattern, {})
        return path, body

    def team_cell(self, method, pattern, role, label, fresh, n):
        """(path, body) of a team-review cell (objects: see the team rows of MATRIX)."""
        own = label == 'own'
        rid = self.r1 if own else self.r2
        tid = self.team1 if own else self.team2
        body = None
        if pattern == '/api/v1/team-rounds':
            body = {'year': 2026, 'title': f'矩阵新评审{n}'} if method == 'POST' else None
            return pattern, body
        if pattern == '/api/v1/team-rounds/{id}':
            return f'/api/v1/team-rounds/{rid}', None
        if pattern == '/api/v1/team-rounds/{id}/panel':
            return f'/api/v1/team-rounds/{self.r1}/panel', {
                'expert_id': self.new_user('expert') if fresh else self.spare_expert}
        if pattern == '/api/v1/team-rounds/{id}/panel/{expert_id}':
            expert = self.user_ids['expert']
            if fresh:
                expert = self.new_user('expert')
                self.office('POST', f'/api/v1/team-rounds/{self.r1}/panel',
                            {'expert_id': expert}, expect=201)
            return f'/api/v1/team-rounds/{self.r1}/panel/{expert}', None
        if pattern == '/api/v1/team-rounds/{id}/scoring':
            r = self.team_round([self.spare_expert])[0] if fresh else self.r1
            return f'/api/v1/team-rounds/{r}/scoring', {}
        if pattern == '/api/v1/team-rounds/{id}/close':
            r = self.team_round([self.spare_expert], 'scoring')[0] if fresh else self.r3
            return f'/api/v1/team-rounds/{r}/close', {}
        if pattern == '/api/v1/team-rounds/{id}/ranking':
            return f'/api/v1/team-rounds/{self.r3 if own else self.r2}/ranking', None
        if pattern == '/api/v1/teams':
            if method == 'POST':
                body = {'round_id': self.r1, 'name': f'矩阵申报{n}', 'project_title': '项目',
                        'leader_talent_id': self.own['id'] if own else self.other['id']}
            return pattern, body
        if pattern == '/api/v1/teams/{id}':
            return f'/api/v1/teams/{tid}', None
        if pattern == '/api/v1/teams/{id}/withdraw':
            if own and fresh:
                tid = self.apply_team(self.r1)
            return f'/api/v1/teams/{tid}/withdraw', {}
        if pattern == '/api/v1/teams/{id}/decision':
            return f'/api/v1/teams/{self.team4}/decision', {'tier': 'B', 'reason': '矩阵测试'}
        if pattern == '/api/v1/teams/{id}/conflict':
            if own and fresh:
                tid = self.apply_team(self.r1)
            return f'/api/v1/teams/{tid}/conflict', {'reason': '矩阵测试：利益冲突'}
        if pattern == '/api/v1/teams/{id}/scores':
            tid = self.team3 if own else self.team2
            return f'/api/v1/teams/{tid}/scores', {'scores': {'innovation': 20}}
        raise AssertionError(f'no request written for {method} {pattern}')

    def spare_bearer(self, role):
        """A throwaway token string of role's account (a bearer logout ends the token)."""
        r = self.server.request('POST', '/api/v1/tokens',
                                {'name': f'mx-logout{self.next()}', 'expires_in_days': 1},
                                headers={'Authorization': 'Bearer ' + self.tokens[role]})
        self.assertEqual(r.status, 201, r.body[:300])
        return r.json['token']

    def send(self, role, mode, method, path, body=None, raw=None, ctype=None, csrf=True,
             origin=None, token=None, headers=None):
        """One request as role: mode 'bearer' or 'cookie' (with the session's CSRF token and
        a same-site Origin on unsafe methods unless csrf=False / origin given)."""
        h = {'Authorization': None}
        if role != 'anon':
            if mode == 'bearer':
                h['Authorization'] = 'Bearer ' + (token or self.tokens[role])
            else:
                s = self.sessions[role]
                h.update(s.headers(method not in SAFE))
                if not csrf:
                    h.pop('X-CSRF-Token', None)
        if origin is not None:
            h['Origin'] = origin
        if ctype:
            h['Content-Type'] = ctype
        h.update(headers or {})
        return harness.request_from(self.server, ROLE_IP[role], method, path, body=body,
                                    raw=raw, headers=h)

    def run_matrix(self, mode):
        routes = test_openapi.routes_from_c()
        missing = sorted(routes - set(MATRIX))
        self.assertFalse(missing, 'routes without a row in MATRIX: ' +
                         ', '.join(f'{m} {p}' for m, p in missing))
        wrong, leaks, count = [], [], 0
        for route, rows in MATRIX.items():
            if route not in routes:
                continue   # reported by test_every_route_has_a_row
            method = route[0]
            for label, expected in rows.items():
                self.assertEqual(len(expected), len(ROLES), (route, label))
                for role, want in zip(ROLES, expected):
                    path, kw = self.cell(route, role, label, want)
                    if route == ('DELETE', '/api/v1/session') and mode == 'bearer' \
                            and role != 'anon':
                        kw['token'] = self.spare_bearer(role)   # logout ends that token
                    r = self.send(role, mode, method, path, **kw)
                    count += 1
                    if r.status != want:
                        try:
                            code = r.json.get('code', '')
                        except ValueError:
                            code = ''
                        line = (f'{method:6} {route[1]:52} {role:15} {label:11} '
                                f'expected {want} got {r.status} {code}')
                        wrong.append(line)
                        if is_2xx(r.status) and not is_2xx(want):
                            leaks.append(line)
        self.assertGreater(count, 300)
        if wrong:
            msg = [f'{mode} pass: {len(wrong)} of {count} cells differ from MATRIX']
            if leaks:
                msg.append('UNAUTHORIZED 2xx (a success the rules forbid):')
                msg += ['  ' + x for x in leaks]
            msg.append('all differences (method, route, role, object):')
            msg += ['  ' + x for x in wrong]
            self.fail('\n'.join(msg))

    # ------------------------------------------------------------------ tests

    def test_every_route_has_a_row(self):
        routes = test_openapi.routes_from_c()
        self.assertGreater(len(routes), 30)
        missing = sorted(routes - set(MATRIX))
        stale = sorted(set(MATRIX) - routes)
        msg = []
        if missing:
            msg.append('routes in src/http/routes.c without a row in MATRIX (add one): ' +
                       ', '.join(f'{m} {p}' for m, p in missing))
        if stale:
            msg.append('rows in MATRIX for routes that no longer exist: ' +
                       ', '.join(f'{m} {p}' for m, p in stale))
        for route, rows in MATRIX.items():
            has_id = '{' in route[1] and not route[1].endswith('{kind}')
            for label, expected in rows.items():
                if len(expected) != len(ROLES):
                    msg.append(f'{route} {label}: {len(expected)} cells, not {len(ROLES)}')
            if has_id and '-' in rows:
                msg.append(f'{route}: the path names an object; label the rows by object')
        if msg:
            self.fail('\n'.join(msg))

    def test_matrix_bearer(self):
        self.run_matrix('bearer')

    def test_employer_changes_only_hr_facts_and_sees_only_its_own_employment(self):
        """An employer keeps its staff's HR facts (title, education, contact) but does not
        change who they are or where they live, and sees only the employment records at its
        own enterprise — not the positions and salaries a person had elsewhere."""
        t = self.new_talent(self.t1, self.ent_a['id'], name='矩阵跳槽乙')
        self.office('POST', f'/api/v1/talents/{t["id"]}/employments',
                    {'enterprise_id': self.ent_b['id'], 'started_on': '2015-03-01',
                     'ended_on': '2019-06-30', 'annual_salary_fen': 9_930_000}, expect=201)
        self.office('POST', f'/api/v1/talents/{t["id"]}/employments',
                    {'enterprise_id': self.ent_a['id'], 'started_on': '2019-07-01',
                     'annual_salary_fen': 12_000_000}, expect=201)
        r = self.send('employer', 'bearer', 'GET', f'/api/v1/talents/{t["id"]}/employments')
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertTrue(r.json['items'])
        self.assertEqual({m['enterprise_id'] for m in r.json['items']}, {self.ent_a['id']})
        r = self.send('employer', 'bearer', 'GET', f'/api/v1/talents/{t["id"]}')
        self.assertEqual({m['enterprise_id'] for m in r.json['employments']}, {self.ent_a['id']})
        r = self.send('office_reviewer', 'bearer', 'GET', f'/api/v1/talents/{t["id"]}/employments')
        self.assertEqual({m['enterprise_id'] for m in r.json['items']},
                         {self.ent_a['id'], self.ent_b['id']})
        for body in ({'name': '改名'}, {'town': self.t2}, {'id_number': '110101199003074477'},
                     {'gender': 'F'}):
            r = self.send('employer', 'bearer', 'PATCH', f'/api/v1/talents/{t["id"]}', body=body)
            self.assertEqual((r.status, r.json['code']), (403, 'field_forbidden'), body)
            self.assertEqual([e['field'] for e in r.json['errors']], list(body))
        r = self.send('employer', 'bearer', 'PATCH', f'/api/v1/talents/{t["id"]}',
                      body={'title': 'senior', 'email': 'hr-check@example.com'})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(r.json['title'], 'senior')
        self.assertEqual({m['enterprise_id'] for m in r.json['employments']}, {self.ent_a['id']})

    def test_admin_cannot_drop_its_own_second_factor(self):
        """ASVS 4.3.1: administrators always use MFA; the setting may add roles, never drop
        admin (an admin switching off their own second factor is refused)."""
        for roles in ([], ['office_reviewer'], ['finance', 'auditor']):
            r = self.send('admin', 'bearer', 'PATCH', '/api/v1/settings/security',
                          body={'mfa_required_roles': roles})
            self.assertEqual(r.status, 422, (roles, r.body[:300]))
            self.assertEqual(r.json['errors'][0]['code'], 'admin_needs_mfa')
        r = self.send('admin', 'bearer', 'GET', '/api/v1/settings/security')
        self.assertEqual(r.json['mfa_required_roles'], ['admin'])

    def test_auditors_are_not_the_admins_to_make(self):
        """三权分立: the admin may not create, reset or change an auditor account (the
        operator does, at the command line), else an admin could become an auditor."""
        r = self.send('admin', 'bearer', 'POST', '/api/v1/users',
                      body={'username': f'mx-aud{self.next()}', 'role': 'auditor'})
        self.assertEqual((r.status, r.json['code']), (403, 'auditor_managed_by_operator'))
        aud = self.user_ids['auditor']
        for method, path, body in (('POST', f'/api/v1/users/{aud}/password-reset', {}),
                                   ('PATCH', f'/api/v1/users/{aud}', {'disabled': True})):
            r = self.send('admin', 'bearer', method, path, body=body)
            self.assertEqual((r.status, r.json['code']), (403, 'auditor_managed_by_operator'),
                             path)
        r = self.send('auditor', 'bearer', 'GET', '/api/v1/audit?limit=1')
        self.assertEqual(r.status, 200)   # still the auditor's

    def test_matrix_cookie(self):
        """The same cells with the cookie sessions (CSRF token and same-site Origin sent).
        Named to run last: its DELETE /session row ends the cookie sessions."""
        self.run_matrix('cookie')
        for role in USERS:   # the logout of the last row really ended the session
            r = self.send(role, 'cookie', 'GET', '/api/v1/session')
            self.assertEqual(r.status, 401, f'{role} session after logout: {r.body[:200]!r}')

    def test_cookie_csrf_on_every_unsafe_route(self):
        """Cookie without X-CSRF-Token → 403 for every account on every state-changing
        route; a cross-site Origin → 403 for everyone, bearer and anonymous callers too."""
        routes = test_openapi.routes_from_c()
        bad, count = [], 0
        for route in sorted(routes):
            method, pattern = route
            if method in SAFE or route not in MATRIX:
                continue
            label = next(iter(MATRIX[route]))
            for role in ROLES:
                # a fixed object: every one of these requests must be refused before use
                path, kw = self.cell(route, role, label, 403)
                tries = [('no csrf token', 'cookie', dict(csrf=False), 403),
                         ('cross-site origin', 'cookie', dict(origin='http://evil.example'),
                          403),
                         ('cross-site bearer', 'bearer', dict(origin='http://evil.example'),
                          403),
                         ('origin null', 'cookie', dict(origin='null'), 403)]
                for what, mode, extra, want in tries:
                    if role == 'anon' and what == 'no csrf token':
                        continue   # nothing to forge without a cookie
                    if what == 'no csrf token' and route in PUBLIC_UNSAFE:
                        continue   # log in / register act on no session: Origin guards them
                    r = self.send(role, mode, method, path, **kw, **extra)
                    count += 1
                    if r.status != want:
                        bad.append(f'{method:6} {pattern:52} {role:15} {what:18} '
                                   f'expected {want} got {r.status}')
        self.assertGreater(count, 500)
        if bad:
            self.fail('cookie CSRF / Origin refusals missing:\n' + '\n'.join(bad))

    def test_restricted_sessions_reach_only_session_routes(self):
        """Fail closed: a session that must change its password (an office reviewer's first
        login) or must enrol TOTP (an admin after the change) gets 403 on every route that
        needs an account, except the /api/v1/session routes that lift the restriction."""
        srv = self.server
        pw = srv.add_user('mx-restricted-office', 'office_reviewer')
        first = srv.login('mx-restricted-office', pw)
        pw = srv.add_user('mx-restricted-admin', 'admin')
        s = srv.login('mx-restricted-admin', pw)
        r = s.request('POST', '/api/v1/session/password',
                      {'current_password': pw, 'new_password': harness.PASSWORD})
        self.assertEqual(r.status, 200, r.body[:300])
        no_mfa = harness.Session(srv, r.header('Set-Cookie').split(';')[0], r.json['csrf_token'],
                                 r.json)
        self.assertTrue(first.body['restricted'] and no_mfa.body['restricted'])
        bad, count = [], 0
        for route, rows in MATRIX.items():
            method, pattern = route
            if rows[next(iter(rows))][0] != 401 or pattern.startswith('/api/v1/session'):
                continue   # public routes, and the routes that lift the restriction
            label = next(iter(rows))
            for who, sess in (('must change password', first), ('must enrol TOTP', no_mfa)):
                path, kw = self.cell(route, 'office_reviewer', label, 403)
                h = sess.headers(method not in SAFE)
                if kw['ctype']:
                    h['Content-Type'] = kw['ctype']
                r = srv.request(method, path, body=kw['body'], raw=kw['raw'], headers=h)
                count += 1
                if r.status != 403:
                    bad.append(f'{method:6} {pattern:52} {who:22} expected 403 got {r.status}')
        self.assertGreater(count, 50)
        if bad:
            self.fail('restricted sessions got through:\n' + '\n'.join(bad))

    def test_list_scoping(self):
        """List routes narrow to what the caller may see: own in, other out."""
        def ids_found(role, path):
            r = self.send(role, 'bearer', 'GET', path)
            self.assertEqual(r.status, 200, (role, path, r.body[:200]))
            return r.json['total']

        sees_all = {'office_reviewer', 'finance'}
        bad = []
        for role in ('employer', 'liaison', 'town_reviewer', 'office_reviewer', 'finance'):
            for who, t in (('own', self.own), ('other', self.other)):
                want = 1 if who == 'own' or role in sees_all else 0
                got = ids_found(role, '/api/v1/talents?q=' + t['id_number'])
                if got != want:
                    bad.append(f'GET /talents as {role}: {who} talent found {got}, want {want}')
            r = self.send(role, 'bearer', 'GET', '/api/v1/exports/talents')
            self.assertEqual(r.status, 200, (role, r.body[:200]))
            text = r.body.decode('utf-8-sig')
            names = {row[i] for row in csv.reader(io.StringIO(text)) for i in range(len(row))}
            if self.own['name'] not in names:
                bad.append(f'export as {role}: own talent missing')
            if (self.other['name'] in names) != (role in sees_all):
                bad.append(f'export as {role}: other talent present={self.other["name"] in names}')
        for role in ('liaison', 'town_reviewer', 'office_reviewer', 'finance'):
            for who, e in (('own', self.ent_a), ('other', self.ent_b)):
                want = 0 if (who == 'other' and role == 'town_reviewer') else 1
                got = ids_found(role, '/api/v1/enterprises?q=' + e['credit_code'])
                if got != want:
                    bad.append(f'GET /enterprises as {role}: {who} found {got}, want {want}')
        for role in ('town_reviewer', 'office_reviewer'):
            r = self.send(role, 'bearer', 'GET', '/api/v1/registrations?per_page=200')
            self.assertEqual(r.status, 200)
            seen = {x['id'] for x in r.json['items']}
            if self.reg_own not in seen:
                bad.append(f'GET /registrations as {role}: the T1 registration missing')
            if (self.reg_other in seen) != (role == 'office_reviewer'):
                bad.append(f'GET /registrations as {role}: the T2 registration '
                           f'present={self.reg_other in seen}')
            if (self.reg_unmatched in seen) != (role == 'office_reviewer'):
                bad.append(f'GET /registrations as {role}: the unmatched registration '
                           f'present={self.reg_unmatched in seen}')
        if bad:
            self.fail('\n'.join(bad))


if __name__ == '__main__':
    unittest.main()
