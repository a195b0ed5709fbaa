/*
 * tmpl.c - template sets: adding parsed templates, finding them by name
 * through a hash table (partials are resolved by name at every render, so
 * this must be cheap), and loading a whole directory at start-up, where a
 * partial that names no loaded template is reported at once.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tmpl_internal.h"

/* Directories below the template root; also stops symlink loops. */
#define TMPL_MAX_DIR_DEPTH 16

uint32_t tmpl_hash(const char *s, size_t len)
{
	/* FNV-1a: names are short and few, anything decent will do. */
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

const struct tmpl *tmpl_find(const struct tmpl_set *set, const char *name, size_t len,
			     uint32_t hash)
{
	if (!set->n_slots)
		return NULL;
	size_t mask = set->n_slots - 1;
	for (size_t i = hash & mask;; i = (i + 1) & mask) {
		uint32_t slot = set->slots[i];
		if (!slot)
			return NULL;
		const struct tmpl *t = set->v[slot - 1];
		if (t->hash == hash && t->name_len == len && memcmp(t->name, name, len) == 0)
			return t;
	}
}

static void slot_insert(struct tmpl_set *set, size_t idx)
{
	size_t mask = set->n_slots - 1;
	size_t i = set->v[idx]->hash & mask;
	while (set->slots[i])
		i = (i + 1) & mask;
	set->slots[i] = (uint32_t)(idx + 1);
}

/* Keeps the table at most half full so probe runs stay short. */
static void reserve_slot(struct tmpl_set *set)
{
	if (st_mult(set->n + 1, 2) <= set->n_slots)
		return;
	if (set->n >= UINT32_MAX - 1)
		die("too many templates");
	size_t n_slots = set->n_slots ? st_mult(set->n_slots, 2) : 64;
	free(set->slots);
	set->slots = xcalloc(n_slots, sizeof(*set->slots));
	set->n_slots = n_slots;
	for (size_t i = 0; i < set->n; i++)
		slot_insert(set, i);
}

static void tmpl_free(struct tmpl *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->pool);
	free(t->nodes);
	free(t->keys);
	free(t);
}

struct tmpl_set *tmpl_set_new(void)
{
	struct tmpl_set *set = xcalloc(1, sizeof(*set));
	set->max_steps = TMPL_DEFAULT_MAX_STEPS;
	return set;
}

void tmpl_set_free(struct tmpl_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++)
		tmpl_free(set->v[i]);
	free(set->v);
	free(set->slots);
	free(set);
}

void tmpl_set_max_steps(struct tmpl_set *set, size_t max_steps)
{
	set->max_steps = max_steps;
}

int tmpl_add(struct tmpl_set *set, const char *name, const char *src, size_t len,
	     char *err, size_t err_len)
{
	if (!set || !name || (!src && len)) {
		tmpl_errorf(err, err_len, "tmpl_add: missing set, name or source");
		return -1;
	}
	size_t name_len = strlen(name);
	uint32_t hash = tmpl_hash(name, name_len);
	/* A second template under one name would silently shadow the first. */
	if (tmpl_find(set, name, name_len, hash)) {
		tmpl_errorf(err, err_len, "%s: template added twice", name);
		return -1;
	}

	struct tmpl *t = xcalloc(1, sizeof(*t));
	t->name = xstrndup(name, name_len);
	t->name_len = name_len;
	t->hash = hash;
	if (tmpl_parse(t, src, len, err, err_len) < 0) {
		tmpl_free(t);
		return -1;
	}

	reserve_slot(set);
	if (set->n == set->cap) {
		set->cap = set->cap ? st_mult(set->cap, 2) : 16;
		set->v = xrealloc(set->v, st_mult(set->cap, sizeof(*set->v)));
	}
	set->v[set->n] = t;
	slot_insert(set, set->n);
	set->n++;
	return 0;
}

static bool ends_with_html(const char *s)
{
	size_t n = strlen(s);
	return n > 5 && memcmp(s + n - 5, ".html", 5) == 0;
}

static int read_file(const char *path, struct buf *out, char *err, size_t err_len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		tmpl_errorf(err, err_len, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* Read to EOF rather than trusting st_size, checking the cap as we go. */
	for (;;) {
		buf_grow(out, 65536);
		ssize_t n = read(fd, out->ptr + out->len, out->cap - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			tmpl_errorf(err, err_len, "%s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->ptr[out->len] = '\0';
		if (out->len > TMPL_MAX_SIZE) {
			tmpl_errorf(err, err_len, "%s: template larger than %zu bytes", path,
				    TMPL_MAX_SIZE);
			close(fd);
			return -1;
		}
	}
	close(fd);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Loads dir/rel (rel empty at the top). path holds "dir/" followed by rel
 * and is restored before returning; template names are the part after
 * root_len, so they use '/' and never start with one.
 */
static int load_tree(struct tmpl_set *set, struct buf *path, size_t root_len, int depth,
		     char *err, size_t err_len)
{
	if (depth > TMPL_MAX_DIR_DEPTH) {
		tmpl_errorf(err, err_len, "%s: directories nested deeper than %d", path->ptr,
			    TMPL_MAX_DIR_DEPTH);
		return -1;
	}
	DIR *d = opendir(path->ptr);
	if (!d) {
		tmpl_errorf(err, err_len, "%s: %s", path->ptr, strerror(errno));
		return -1;
	}
	/* Sorted, so that which error is reported first does not depend on the fs. */
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue; /* ., .. and editor droppings such as .#x.html */
		if (n == cap) {
			cap = cap ? st_mult(cap, 2) : 16;
			names = xrealloc(names, st_mult(cap, sizeof(*names)));
		}
		names[n++] = xstrndup(e->d_name, strlen(e->d_name));
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);

	int rc = 0;
	size_t base = path->len;
	struct buf content = BUF_INIT;
	for (size_t i = 0; i < n && rc == 0; i++) {
		path->len = base;
		path->ptr[base] = '\0';
		if (base > root_len)
			buf_addch(path, '/');
		buf_adds(path, names[i]);

		struct stat st;
		if (stat(path->ptr, &st) < 0) {
			tmpl_errorf(err, err_len, "%s: %s", path->ptr, strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			rc = load_tree(set, path, root_len, depth + 1, err, err_len);
		} else if (S_ISREG(st.st_mode) && ends_with_html(names[i])) {
			if ((size_t)st.st_size > TMPL_MAX_SIZE) {
				tmpl_errorf(err, err_len, "%s: template larger than %zu bytes",
					    path->ptr, TMPL_MAX_SIZE);
				rc = -1;
				continue;
			}
			buf_reset(&content);
			rc = read_file(path->ptr, &content, err, err_len);
			if (rc == 0)
				rc = tmpl_add(set, path->ptr + root_len, content.ptr, content.len,
					      err, err_len);
		}
	}
	buf_release(&content);
	path->len = base;
	path->ptr[base] = '\0';
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/*
 * Partials are looked up at render time, which would turn a typo in
 * {{> name}} into a failing page in production; after a full directory
 * load every reference must resolve, so check them all now.
 */
static int check_partials(const struct tmpl_set *set, char *err, size_t err_len)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct tmpl *t = set->v[i];
		for (uint32_t j = 0; j < t->n_nodes; j++) {
			const struct tmpl_node *nd = &t->nodes[j];
			if (nd->kind != TN_PARTIAL)
				continue;
			if (!tmpl_find(set, t->pool + nd->a, nd->b, nd->c)) {
				tmpl_errorf(err, err_len, "%s: partial {{> %s}} is not a loaded template",
					    t->name, t->pool + nd->a);
				return -1;
			}
		}
	}
	return 0;
}

struct tmpl_set *tmpl_load_dir(const char *dir, char *err, size_t err_len)
{
	/* "" would become "/" below and load the whole file system. */
	if (!dir || !dir[0]) {
		tmpl_errorf(err, err_len, "tmpl_load_dir: empty directory name");
		return NULL;
	}
	struct tmpl_set *set = tmpl_set_new();
	struct buf path = BUF_INIT;

	buf_adds(&path, dir);
	/* Strip trailing slashes so names never start with '/'. */
	while (path.len > 1 && path.ptr[path.len - 1] == '/')
		path.ptr[--path.len] = '\0';
	size_t root_len = path.len + 1;
	buf_addch(&path, '/');

	int rc = load_tree(set, &path, root_len, 0, err, err_len);
	if (rc == 0)
		rc = check_partials(set, err, err_len);
	buf_release(&path);
	if (rc < 0) {
		tmpl_set_free(set);
		return NULL;
	}
	return set;
}
