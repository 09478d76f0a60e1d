/*
 * arena.h — a bump allocator freed all at once.
 *
 * Every HTTP request gets one arena, created when the request arrives and
 * released when it completes; handlers never free() piecemeal.  Not thread-safe:
 * an arena belongs to one request, which one thread serves at a time.
 */
#ifndef TP_ARENA_H
#define TP_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

/* Creates an empty arena. Returns NULL when out of memory. */
struct arena *arena_new(void);

/* Returns size bytes aligned for any type, zeroed, owned by the arena;
 * NULL when out of memory or when size exceeds the arena's cap (64 MiB in all). */
void *arena_alloc(struct arena *a, size_t size);

/* Copies s (or its first n bytes) into the arena, NUL-terminated. NULL on failure. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* printf into the arena. NULL on failure. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Bytes handed out so far (for tests and metrics). */
size_t arena_used(const struct arena *a);

/* Releases everything the arena handed out, and the arena. NULL is a no-op. */
void arena_free(struct arena *a);

#endif
