/*
 * Reading back the workbooks the writers make, for unit tests: unzip one part, look for a
 * fragment, check the XML parses.  Failures end the running cmocka test.
 */
#ifndef TP_TEST_SHEETS_H
#define TP_TEST_SHEETS_H

/* A fresh empty file /tmp/tp_test_<tag>_XXXXXX; the caller frees the path (and unlinks it). */
char *sheet_tmp_path(const char *tag);

/* The part name of the zip at path, NUL-terminated (the caller frees); *method its
 * compression method when method is not NULL.  Fails the test when there is no such part. */
char *zip_entry(const char *path, const char *name, int *method);

/* Fails the test, showing xml, when frag is not in it. */
void has(const char *xml, const char *frag);

/* 1 if xml is well-formed XML (expat); the parser's complaint goes to stderr otherwise. */
int well_formed(const char *xml);

#endif
