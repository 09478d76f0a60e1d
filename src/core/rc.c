#include "core/rc.h"

const char *tp_rc_str(enum tp_rc rc)
{
	switch (rc) {
	case TP_OK: return "ok";
	case TP_ERR_NOMEM: return "nomem";
	case TP_ERR_INVALID: return "invalid";
	case TP_ERR_NOT_FOUND: return "not_found";
	case TP_ERR_CONFLICT: return "conflict";
	case TP_ERR_IO: return "io";
	case TP_ERR_DB: return "db";
	case TP_ERR_TOO_LARGE: return "too_large";
	case TP_ERR_UNSUPPORTED: return "unsupported";
	case TP_ERR_INTERNAL: return "internal";
	case TP_ERR_BUSY: return "busy";
	case TP_ERR_USAGE: return "usage";
	}
	return "unknown";
}
