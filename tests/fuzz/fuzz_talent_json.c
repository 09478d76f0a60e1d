/*
 * fuzz_talent_json.c — libFuzzer harness for a talent's JSON body: the depth check,
 * jansson's parser (as the server calls it) and talent_from_json() with its field
 * errors.  Any input must end in a talent or a list of errors, never a crash or leak.
 */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "api/talent_json.h"
#include "core/arena.h"
#include "core/jsonx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536 || !jsonx_depth_ok((const char *)data, size, JSON_MAX_DEPTH))
		return 0;
	json_error_t err;
	json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
				 &err);
	if (!doc)
		return 0;
	if (json_is_object(doc)) {
		struct arena *a = arena_new();
		struct verrors ve;
		verr_init(&ve, a);
		struct talent t;
		talent_blank(&t);
		talent_from_json(doc, &t, a, &ve, data[0] & 1);
		arena_free(a);
	}
	json_decref(doc);
	return 0;
}
