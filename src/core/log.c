#include "core/log.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static atomic_int min_level = LOG_INFO;
static const char *const level_names[] = {"debug", "info", "warn", "error", "off"};

void log_set_level(enum log_level lvl)
{
	atomic_store(&min_level, (int)lvl);
}

enum log_level log_get_level(void)
{
	return (enum log_level)atomic_load(&min_level);
}

int log_level_parse(const char *s)
{
	for (int i = 0; i <= LOG_OFF; i++)
		if (strcmp(s, level_names[i]) == 0)
			return i;
	return -1;
}

void tp_log(enum log_level lvl, const char *msg, json_t *fields)
{
	if ((int)lvl < atomic_load(&min_level) || lvl >= LOG_OFF) {
		json_decref(fields);
		return;
	}
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	char when[64];
	snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (ts.tv_nsec / 1000000) % 1000);
	json_t *o = json_object();
	if (!o) {
		json_decref(fields);
		return;
	}
	json_object_set_new(o, "ts", json_string(when));
	json_object_set_new(o, "level", json_string(level_names[lvl]));
	json_object_set_new(o, "msg", json_string(msg));
	if (json_is_object(fields))
		json_object_update(o, fields);
	json_decref(fields);
	char *line = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(o);
	if (!line)
		return;
	size_t n = strlen(line);
	line[n] = '\n'; /* json_dumps leaves room: replace the NUL, write n+1 bytes */
	ssize_t w = write(STDERR_FILENO, line, n + 1);
	(void)w;
	free(line);
}
