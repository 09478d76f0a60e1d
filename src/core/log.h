/*
 * log.h — structured logs: one JSON object per line on stderr.
 *
 * Never log credentials or personal data (ID numbers, phones, bank accounts):
 * log object ids instead.  Strings are JSON-encoded, so a hostile value cannot
 * forge a second line (ASVS 7.3.1).
 */
#ifndef TP_LOG_H
#define TP_LOG_H

#include <jansson.h>

enum log_level { LOG_DEBUG = 0, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_OFF };

/* Sets the lowest level that is written. Default LOG_INFO. */
void log_set_level(enum log_level lvl);
enum log_level log_get_level(void);

/* Parses "debug|info|warn|error|off"; returns -1 when unknown. */
int log_level_parse(const char *s);

/* Writes {"ts":…,"level":…,"msg":msg, …fields} as one line. Takes ownership of
 * fields (a JSON object or NULL). Thread-safe; one write(2) per line. */
void tp_log(enum log_level lvl, const char *msg, json_t *fields);

#endif
