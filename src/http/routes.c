/*
 * routes.c — THE route table.  One line per endpoint; docs/openapi.yaml lists the
 * same routes and a test checks that the two agree.
 */
#include "api/api.h"
#include "http/router.h"

#define KB 1024
#define MB (1024 * 1024)

const struct route routes[] = {
	{"GET", "/api/v1/health", api_health, BODY_NONE, 0, "Liveness and version"},
	{"GET", "/api/v1/reference/{kind}", api_reference_get, BODY_NONE, 0,
	 "A code table: towns, industries, degrees, titles, skill-levels, enterprise-sizes"},
	{"POST", "/api/v1/reference/industries", api_industries_create, BODY_JSON, 16 * KB,
	 "Add an industry to the editable 4341 code table"},
	{"PATCH", "/api/v1/reference/industries/{code}", api_industries_patch, BODY_JSON, 16 * KB,
	 "Rename or regroup an industry"},

	{"GET", "/api/v1/talents", api_talents_list, BODY_NONE, 0, "List and search talents"},
	{"POST", "/api/v1/talents", api_talents_create, BODY_JSON, 256 * KB, "Register a talent"},
	{"GET", "/api/v1/talents/{id}", api_talents_get, BODY_NONE, 0, "One talent"},
	{"PATCH", "/api/v1/talents/{id}", api_talents_patch, BODY_JSON, 256 * KB,
	 "Change a talent"},
	{"GET", "/api/v1/talents/{id}/employments", api_talent_employments_list, BODY_NONE, 0,
	 "A talent's employment history"},
	{"POST", "/api/v1/talents/{id}/employments", api_talent_employments_create, BODY_JSON,
	 16 * KB, "Add an employment record"},
	{"PATCH", "/api/v1/talents/{id}/employments/{employment_id}", api_talent_employments_patch,
	 BODY_JSON, 16 * KB, "End or change an employment record"},

	{"GET", "/api/v1/enterprises", api_enterprises_list, BODY_NONE, 0, "List enterprises"},
	{"POST", "/api/v1/enterprises", api_enterprises_create, BODY_JSON, 64 * KB,
	 "Register an enterprise"},
	{"GET", "/api/v1/enterprises/{id}", api_enterprises_get, BODY_NONE, 0, "One enterprise"},
	{"PATCH", "/api/v1/enterprises/{id}", api_enterprises_patch, BODY_JSON, 64 * KB,
	 "Change an enterprise"},

	{"POST", "/api/v1/imports/talents", api_imports_talents, BODY_RAW, 64 * MB,
	 "Import talents from a CSV or XLSX file (the raw file is the body)"},
	{"GET", "/api/v1/imports/{id}", api_imports_get, BODY_NONE, 0, "One import and its counts"},
	{"GET", "/api/v1/imports/{id}/report", api_imports_report, BODY_NONE, 0,
	 "The error report of an import, in the uploaded file's format"},
	{"GET", "/api/v1/exports/talents", api_exports_talents, BODY_NONE, 0,
	 "Export talents (masked) as CSV or XLSX"},
	{"GET", "/api/v1/exports/template", api_exports_template, BODY_NONE, 0,
	 "The talent import template as CSV or XLSX"},
};

const size_t routes_count = sizeof routes / sizeof routes[0];
