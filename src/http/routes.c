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

	{"GET", "/api/v1/talents", api_talents_list, BODY_NONE, 0, "List and search talents"},
	{"POST", "/api/v1/talents", api_talents_create, BODY_JSON, 256 * KB, "Register a talent"},
	{"GET", "/api/v1/talents/{id}", api_talents_get, BODY_NONE, 0, "One talent"},
	{"PATCH", "/api/v1/talents/{id}", api_talents_patch, BODY_JSON, 256 * KB,
	 "Change a talent"},
	{"GET", "/api/v1/talents/{id}/employments", api_talent_employments_list, BODY_NONE, 0,
	 "A talent's employment history"},
	{"POST", "/api/v1/talents/{id}/employments", api_talent_employments_create, BODY_JSON,
	 16 * KB, "Add an employment record"},

	{"GET", "/api/v1/enterprises", api_enterprises_list, BODY_NONE, 0, "List enterprises"},
	{"POST", "/api/v1/enterprises", api_enterprises_create, BODY_JSON, 64 * KB,
	 "Register an enterprise"},
	{"GET", "/api/v1/enterprises/{id}", api_enterprises_get, BODY_NONE, 0, "One enterprise"},
	{"PATCH", "/api/v1/enterprises/{id}", api_enterprises_patch, BODY_JSON, 64 * KB,
	 "Change an enterprise"},
};

const size_t routes_count = sizeof routes / sizeof routes[0];
