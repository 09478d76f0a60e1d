#include "sheets.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <expat.h>
#include <zip.h>

#include <cmocka.h>

char *sheet_tmp_path(const char *tag)
{
	char path[96];
	snprintf(path, sizeof path, "/tmp/tp_test_%s_XXXXXX", tag);
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	return strdup(path);
}

char *zip_entry(const char *path, const char *name, int *method)
{
	int err = 0;
	zip_t *za = zip_open(path, ZIP_RDONLY, &err);
	zip_stat_t st;
	zip_file_t *zf;
	char *buf;

	assert_non_null(za);
	if (zip_stat(za, name, 0, &st) != 0)
		fail_msg("no %s in the workbook", name);
	if (method)
		*method = st.comp_method;
	buf = malloc(st.size + 1);
	assert_non_null(buf);
	zf = zip_fopen(za, name, 0);
	assert_non_null(zf);
	assert_int_equal(zip_fread(zf, buf, st.size), (zip_int64_t)st.size);
	buf[st.size] = '\0';
	zip_fclose(zf);
	zip_close(za);
	return buf;
}

__attribute__((noinline)) void has(const char *xml, const char *frag)
{
	if (!strstr(xml, frag))
		fail_msg("'%s' not found in:\n%.3000s", frag, xml);
}

int well_formed(const char *xml)
{
	XML_Parser p = XML_ParserCreate("UTF-8");
	int ok = XML_Parse(p, xml, (int)strlen(xml), 1) == XML_STATUS_OK;

	if (!ok)
		fprintf(stderr, "xml: %s at line %lu col %lu\n", XML_ErrorString(XML_GetErrorCode(p)),
			(unsigned long)XML_GetCurrentLineNumber(p),
			(unsigned long)XML_GetCurrentColumnNumber(p));
	XML_ParserFree(p);
	return ok;
}
